#!/usr/bin/env python3
"""Draws the multimodal plugin's default seed images and writes their annotations.

Made for this project: simple scenes of flat-coloured shapes, a bar chart, a traffic light and a
house, each with COCO-style object boxes ([x, y, width, height] in pixels, origin top-left) and
captions. Outputs, all in this folder:

  <id>.png        the images (8-bit RGB, written with zlib and struct only)
  instances.json  COCO-style instances: images, categories, annotations (bbox, area, colour)
  captions.json   COCO-style captions: images, annotations (caption)
  seeds.jsonl     one seed item per image in the shape the knowledge engine reads:
                  {"id", "image", "width", "height", "captions", "objects": [{"label",
                  "category", "color", "bbox"}]}; "image" is relative to this folder.

Run it again after changing a scene: python3 make_images.py
"""
import json
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
WIDTH, HEIGHT = 160, 120

COLORS = {
    "white": (255, 255, 255), "black": (20, 20, 20), "gray": (128, 128, 128),
    "red": (220, 30, 30), "green": (40, 160, 60), "blue": (40, 80, 220), "yellow": (240, 210, 30),
    "orange": (245, 140, 20), "purple": (140, 50, 170), "brown": (130, 80, 40), "sky": (170, 210, 245),
}


class Canvas:
    """An RGB image with filled shapes; every shape drawn records its box."""

    def __init__(self, background):
        self.pixels = [[COLORS[background]] * WIDTH for _ in range(HEIGHT)]

    def fill(self, inside, box, color):
        x0, y0, w, h = box
        rgb = COLORS[color]
        for y in range(max(0, y0), min(HEIGHT, y0 + h)):
            row = self.pixels[y]
            for x in range(max(0, x0), min(WIDTH, x0 + w)):
                if inside(x + 0.5, y + 0.5):
                    row[x] = rgb

    def rectangle(self, x, y, w, h, color):
        self.fill(lambda px, py: True, (x, y, w, h), color)
        return [x, y, w, h]

    def circle(self, cx, cy, r, color):
        self.fill(lambda px, py: (px - cx) ** 2 + (py - cy) ** 2 <= r * r, (cx - r, cy - r, 2 * r, 2 * r), color)
        return [cx - r, cy - r, 2 * r, 2 * r]

    def triangle(self, a, b, c, color):
        def side(p, q, px, py):
            return (q[0] - p[0]) * (py - p[1]) - (q[1] - p[1]) * (px - p[0])

        def inside(px, py):
            s1, s2, s3 = side(a, b, px, py), side(b, c, px, py), side(c, a, px, py)
            return (s1 >= 0 and s2 >= 0 and s3 >= 0) or (s1 <= 0 and s2 <= 0 and s3 <= 0)

        xs, ys = [a[0], b[0], c[0]], [a[1], b[1], c[1]]
        box = [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)]
        self.fill(inside, tuple(box), color)
        return box

    def png(self):
        raw = b"".join(b"\x00" + bytes(v for rgb in row for v in rgb) for row in self.pixels)

        def chunk(kind, data):
            body = kind + data
            return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

        header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)
        return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def scene_two_shapes():
    c = Canvas("white")
    objects = [("circle", "red", c.circle(45, 60, 25, "red")), ("square", "blue", c.rectangle(95, 38, 44, 44, "blue"))]
    captions = ["A red circle to the left of a blue square on a white background.",
                "Two shapes side by side: a red circle and a blue square."]
    return c, objects, captions


def scene_three_triangles():
    c = Canvas("white")
    objects = []
    for x in (15, 62, 109):
        objects.append(("triangle", "green", c.triangle((x, 95), (x + 36, 95), (x + 18, 60), "green")))
    objects.append(("circle", "yellow", c.circle(80, 25, 14, "yellow")))
    captions = ["Three green triangles in a row under a yellow circle.",
                "A yellow circle above a row of three green triangles on a white background."]
    return c, objects, captions


def scene_nested():
    c = Canvas("white")
    objects = [("square", "orange", c.rectangle(35, 15, 90, 90, "orange")), ("circle", "purple", c.circle(80, 60, 18, "purple"))]
    captions = ["A small purple circle inside a large orange square.",
                "A large orange square with a purple circle in its centre."]
    return c, objects, captions


def scene_bar_chart():
    c = Canvas("white")
    objects = [("axis", "black", c.rectangle(18, 10, 3, 95, "black")), ("axis", "black", c.rectangle(18, 102, 130, 3, "black"))]
    for i, value in enumerate((2, 5, 3, 4)):
        height = value * 18
        objects.append(("bar", "blue", c.rectangle(30 + i * 30, 102 - height, 20, height, "blue")))
    captions = ["A bar chart with four blue bars; the second bar is the tallest and the first is the shortest.",
                "A simple bar chart of four blue bars with heights 2, 5, 3 and 4."]
    return c, objects, captions


def scene_traffic_light():
    c = Canvas("sky")
    objects = [("pole", "gray", c.rectangle(76, 85, 8, 35, "gray")), ("traffic light", "black", c.rectangle(60, 5, 40, 82, "black"))]
    for color, y in (("red", 20), ("yellow", 46), ("green", 72)):
        objects.append(("lamp", color, c.circle(80, y, 10, color)))
    captions = ["A traffic light with red, yellow and green lamps on a gray pole against a blue sky.",
                "A black traffic light showing a red lamp at the top, a yellow lamp in the middle and a green lamp at the bottom."]
    return c, objects, captions


def scene_house():
    c = Canvas("sky")
    objects = [("grass", "green", c.rectangle(0, 95, 160, 25, "green")), ("wall", "brown", c.rectangle(40, 55, 60, 40, "brown")),
               ("roof", "red", c.triangle((32, 55), (108, 55), (70, 22), "red")), ("door", "yellow", c.rectangle(62, 72, 16, 23, "yellow")),
               ("sun", "yellow", c.circle(135, 22, 12, "yellow"))]
    captions = ["A small brown house with a red roof and a yellow door on green grass, with a yellow sun in the sky.",
                "A drawing of a house with a red triangular roof under a blue sky with the sun at the top right."]
    return c, objects, captions


SCENES = [("shapes-two", scene_two_shapes), ("shapes-triangles", scene_three_triangles), ("shapes-nested", scene_nested),
          ("chart-bars", scene_bar_chart), ("traffic-light", scene_traffic_light), ("house", scene_house)]


def main():
    images, categories, instances, caption_rows, seeds = [], {}, [], [], []
    for image_id, (name, draw) in enumerate(SCENES, start=1):
        canvas, objects, captions = draw()
        file_name = name + ".png"
        with open(os.path.join(HERE, file_name), "wb") as out:
            out.write(canvas.png())
        images.append({"id": image_id, "file_name": file_name, "width": WIDTH, "height": HEIGHT})
        seed_objects = []
        for category, color, box in objects:
            category_id = categories.setdefault(category, len(categories) + 1)
            instances.append({"id": len(instances) + 1, "image_id": image_id, "category_id": category_id, "bbox": box,
                              "area": box[2] * box[3], "iscrowd": 0, "attributes": {"color": color}})
            seed_objects.append({"label": f"{color} {category}", "category": category, "color": color, "bbox": box})
        for caption in captions:
            caption_rows.append({"id": len(caption_rows) + 1, "image_id": image_id, "caption": caption})
        seeds.append({"id": name, "image": file_name, "width": WIDTH, "height": HEIGHT, "captions": captions,
                      "objects": seed_objects})
    category_list = [{"id": i, "name": n, "supercategory": "drawing"} for n, i in categories.items()]
    info = {"description": "Retort multimodal plugin seed images (drawn by make_images.py)", "version": "1.0"}
    with open(os.path.join(HERE, "instances.json"), "w") as out:
        json.dump({"info": info, "images": images, "categories": category_list, "annotations": instances}, out, indent=1)
        out.write("\n")
    with open(os.path.join(HERE, "captions.json"), "w") as out:
        json.dump({"info": info, "images": images, "annotations": caption_rows}, out, indent=1)
        out.write("\n")
    with open(os.path.join(HERE, "seeds.jsonl"), "w") as out:
        for seed in seeds:
            out.write(json.dumps(seed) + "\n")


if __name__ == "__main__":
    main()
