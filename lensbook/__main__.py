from lensbook.cli import main
raise SystemExit(main())
