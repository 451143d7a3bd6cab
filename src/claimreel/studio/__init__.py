"""claimreel studio: a local web app over a workspace and its job queue.

Pages list the scripts and what is wrong with them, show storyboards and scenes,
edit a script and add photos, submit renders to the job queue and follow them
live, play outputs and pack social clips. It needs the ``studio`` extra
(Starlette, uvicorn, Jinja2, python-multipart); ``claimreel studio`` serves it.
Nothing is imported here, so ``claimreel`` works without the extra.
"""
