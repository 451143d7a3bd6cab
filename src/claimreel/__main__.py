from claimreel.cli import run

run()
