from claimreel.cli import main

raise SystemExit(main())
