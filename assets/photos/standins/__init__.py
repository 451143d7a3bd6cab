"""The stand-in photos' drawing code: the canvas and its helpers (:mod:`.canvas`), shapes drawn as
vector layers (:mod:`.layer`), the finish and stand-in mark (:mod:`.finish`), and one module per
picture. ``make_standins.py`` beside this folder renders them.
"""
