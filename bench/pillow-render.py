"""The Pillow peer of the 12 MP phone JPEG row (bench/sections/imaging.ts).

Does the job the pipeline does for the `universal` profile, the way a Pillow service would:
open, apply the EXIF orientation (exif_transpose), convert to RGB, resize to WIDTH x HEIGHT
with LANCZOS (libvips' default kernel is lanczos3), save as JPEG quality 85 without EXIF.
With --draft it first asks libjpeg to decode at a reduced scale (Image.draft, Pillow's
shrink-on-load: what Image.thumbnail does), the fastest way Pillow knows.

Usage: /usr/bin/python3 bench/pillow-render.py IMAGE WIDTH HEIGHT [--draft]
After one warm-up image it prints a JSON line {"pillow": version, "width", "height", "bytes"}
describing the JPEG it wrote, then serves: for each line N read on stdin it renders the image
N times and prints a JSON line {"cpuSeconds": [per image]}, so that the benchmark can
interleave Pillow's images with its own. It exits at the end of stdin.
CPU time is time.process_time(): user + system of every thread of this process.
"""

import io
import json
import sys
import time

from PIL import Image, ImageOps, __version__


def render(data: bytes, width: int, height: int, draft: bool) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        if draft:
            # The stored image is sideways when Orientation says so: ask for the stored shape.
            turned = image.getexif().get(0x0112, 1) in (5, 6, 7, 8)
            image.draft("RGB", (height, width) if turned else (width, height))
        upright = ImageOps.exif_transpose(image)
        rgb = upright.convert("RGB")
        resized = rgb.resize((width, height), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        # No exif= argument: Pillow writes no EXIF (and no ICC profile unless given one).
        resized.save(out, "JPEG", quality=85)
        return out.getvalue()


def main() -> None:
    path, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    draft = "--draft" in sys.argv[4:]
    with open(path, "rb") as f:
        data = f.read()
    out = render(data, width, height, draft)  # warm-up: imports, codec tables, allocator
    with Image.open(io.BytesIO(out)) as check:
        size = check.size
    print(json.dumps({"pillow": __version__, "width": size[0], "height": size[1], "bytes": len(out)}), flush=True)
    for line in sys.stdin:
        samples = []
        for _ in range(int(line)):
            start = time.process_time()
            render(data, width, height, draft)
            samples.append(time.process_time() - start)
        print(json.dumps({"cpuSeconds": samples}), flush=True)


if __name__ == "__main__":
    main()
