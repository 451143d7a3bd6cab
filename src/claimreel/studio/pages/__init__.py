"""The studio's pages, one module per part of the app: :mod:`.scripts` (the scripts, a script's
findings, editor, storyboards and photo upload), :mod:`.new` (a new fact-check), :mod:`.jobs`
(render, the queue and a job's progress) and :mod:`.outputs` (rendered outputs and social packs).
What they share is in :mod:`.common`; the address of each page is in :mod:`claimreel.studio.routes`.
"""
