"""Rebuild NotoSansSC-{Regular,Bold}.otf from Debian's fonts-noto-cjk (see OFL-NotoSansSC.txt).

Usage: python assets/fonts/subset_cjk.py Regular|Bold  (writes into the current folder)
"""
from fontTools.ttLib import TTCollection
from fontTools import subset
import os, sys
w = sys.argv[1]
c = TTCollection(f"/usr/share/fonts/opentype/noto/NotoSansCJK-{w}.ttc")
font = next(f for f in c.fonts if (f["name"].getDebugName(4) or "").startswith("Noto Sans CJK SC"))
ranges = list(range(0x3400,0x4DC0))+list(range(0x4E00,0xA000))+list(range(0x3000,0x3040))+list(range(0xFF00,0xFFF0))+list(range(0xFE30,0xFE50))+list(range(0x2010,0x2070))+[0xB7]
opts = subset.Options(); opts.layout_features=["*"]; opts.name_IDs=["*"]; opts.notdef_outline=True; opts.name_languages=["*"]
s = subset.Subsetter(opts); s.populate(unicodes=ranges); s.subset(font)
out=f"NotoSansSC-{w}.otf"; font.save(out); print(out, os.path.getsize(out)/1e6, len(font.getBestCmap()))
