"""Differential check of syllabus' notebook pages against `jupyter nbconvert --to html`.

Input: a JSON file [{"file": ..., "notebook": path of the .ipynb, "html": ...}]
where "html" is the content of syllabus' page for that notebook. nbconvert's
HTMLExporter (what `jupyter nbconvert --to html` runs, offline) converts the
same notebook. Both pages are reduced to the same shape: text blocks (Markdown
and raw cells) between code cells, and code cells as (source, outputs), each
output as (MIME type shown, text). Text is normalised: white space collapsed,
`$` dropped (MathML is compared by its TeX annotation), heading anchors,
prompts, "Show more" summaries and syllabus' notes dropped.

Differences syllabus makes on purpose (docs/notebooks.md) are applied to
nbconvert's side first: consecutive outputs of one stream are one output, and
code cells without source or outputs are left out. Every remaining difference
is a line `file | code cell's first line | what`; the allow file (second
argument) lists the expected ones, each with its reason after `#`. Exits 1 on
a difference not listed, or a listed one no longer seen.
"""
import html.parser
import json
import re
import sys

from nbconvert import HTMLExporter

VOID = {"img", "br", "hr", "input", "meta", "link", "source", "wbr", "col", "area", "embed"}
BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "table", "tr", "td", "th",
         "pre", "br", "hr", "blockquote", "figure", "details", "section", "dl", "dt", "dd"}
SKIPPED = {"script", "style", "title"}


def norm(text):
    return re.sub(r"\s+", " ", text.replace("$", "").replace("\u00b6", "")).strip()


class Blocks(html.parser.HTMLParser):
    """Text blocks and code cells of one side's page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = [["text", ""]]
        self.stack = []          # (tag, role) of open elements
        self.code = None         # the code cell being read
        self.target = None       # "source" or an output dict receiving text

    # What an element is for: subclasses say.
    def role(self, tag, attrs, classes):
        return None

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK:
            self.handle_data(" ")
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        role = self.role(tag, a, classes)
        if role == "code":
            self.code = {"source": "", "outputs": []}
            self.blocks.append(["code", self.code])
        elif role == "source" and self.code is not None:
            self.target = "source"
        elif role == "output" and self.code is not None:
            out = {"mime": self.mime(tag, a, classes), "text": ""}
            self.code["outputs"].append(out)
            self.target = out
        if tag not in VOID:
            self.stack.append((tag, role))
        elif tag == "img" and isinstance(self.target, dict) and self.target["mime"] is None:
            src = a.get("src") or ""
            m = re.match(r"data:(image/[\w.+-]+)", src)
            ext = src.rsplit(".", 1)[-1]
            self.target["mime"] = m.group(1) if m else {
                "png": "image/png", "jpg": "image/jpeg", "gif": "image/gif", "svg": "image/svg+xml"}.get(ext)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in BLOCK:
            self.handle_data(" ")
        if tag in VOID:
            return
        while self.stack:
            open_tag, role = self.stack.pop()
            if role == "code":
                self.code = None
                self.target = None
                self.blocks.append(["text", ""])
            elif role in ("source", "output"):
                self.target = None
            if open_tag == tag:
                break

    def skipping(self):
        return any(role == "skip" or tag in SKIPPED for tag, role in self.stack)

    def handle_data(self, data):
        if self.skipping():
            return
        if any(role == "math" for _, role in self.stack):
            if not any(role == "annotation" for _, role in self.stack):
                return
        if self.target == "source":
            self.code["source"] += data
        elif isinstance(self.target, dict):
            self.target["text"] += data
        elif self.code is None:
            self.blocks[-1][1] += data

    def result(self):
        out = []
        for kind, value in self.blocks:
            if kind == "text":
                text = norm(value)
                if out and out[-1][0] == "text":
                    out[-1] = ("text", norm(out[-1][1] + " " + text))
                elif text:
                    out.append(("text", text))
            else:
                outputs = [(o["mime"], norm(o["text"])) for o in value["outputs"]]
                out.append(("code", norm(value["source"]), outputs))
        return out


class Syllabus(Blocks):
    def role(self, tag, a, classes):
        if tag == "div" and "nb-code-cell" in classes:
            return "code"
        if tag == "code" and self.code is not None and self.target is None and not self.code["outputs"]:
            return "source"
        if tag == "div" and "nb-output" in classes:
            return "output"
        if tag == "math":
            return "math"
        if tag == "annotation":
            return "annotation"
        if (tag == "span" and "nb-prompt" in classes) or (tag == "p" and "nb-note" in classes) \
                or (tag == "a" and "heading-anchor" in classes) or tag == "summary":
            return "skip"
        return None

    def mime(self, tag, a, classes):
        mime = a.get("data-mime-type")
        # nbconvert's lab template labels standard output `text/plain`.
        return "text/plain" if mime == "application/vnd.jupyter.stdout" else mime


class Nbconvert(Blocks):
    def role(self, tag, a, classes):
        if tag == "div" and "jp-CodeCell" in classes:
            return "code"
        if tag == "div" and "jp-InputArea-editor" in classes:
            return "source"
        if tag == "div" and "jp-OutputArea-output" in classes:
            return "output"
        if (tag == "a" and "anchor-link" in classes) or (tag == "div" and "jp-InputPrompt" in classes):
            return "skip"
        return None

    def mime(self, tag, a, classes):
        return a.get("data-mime-type")  # images: from the <img> inside


def nbconvert_blocks(path):
    body, _ = HTMLExporter().from_filename(path)
    main = body[body.find("<main>"): body.rfind("</main>")]
    p = Nbconvert()
    p.feed(main)
    p.close()
    return on_purpose(p.result())


def on_purpose(blocks):
    """syllabus' deliberate differences, applied to nbconvert's blocks."""
    out = []
    for block in blocks:
        if block[0] == "code":
            _, source, outputs = block
            merged = []
            for mime, text in outputs:
                stream = mime in ("text/plain", "application/vnd.jupyter.stderr")
                if merged and stream and merged[-1][0] == mime and merged[-1][2]:
                    merged[-1] = (mime, norm(merged[-1][1] + " " + text), True)
                else:
                    merged.append((mime, text, stream))
            outputs = [(m, t) for m, t, _ in merged]
            if not source and not outputs:
                continue
            block = ("code", source, outputs)
        out.append(block)
    return out


def syllabus_blocks(fragment):
    p = Syllabus()
    p.feed(fragment)
    p.close()
    return p.result()


def segments(blocks):
    """(text before, code cell) pairs, and the text after the last code cell."""
    pairs, text = [], ""
    for block in blocks:
        if block[0] == "text":
            text = norm(text + " " + block[1])
        else:
            pairs.append((text, block))
            text = ""
    return pairs, text


def cell_key(file, code):
    return f"{file} | {' '.join(code[1].split(' ')[:4])}"


def differences(file, ours, theirs):
    (pairs_ours, end_ours), (pairs_theirs, end_theirs) = segments(ours), segments(theirs)
    if len(pairs_ours) != len(pairs_theirs):
        return [(f"{file} | - | code cells: {len(pairs_theirs)} -> {len(pairs_ours)}",
                 f"nbconvert {[c[1] for _, c in pairs_theirs]}\n  syllabus  {[c[1] for _, c in pairs_ours]}")]
    found = []
    for (text_a, a), (text_b, b) in zip(pairs_ours, pairs_theirs):
        key = cell_key(file, b)
        if text_a != text_b:
            found.append((f"{key} | text before", text_difference(text_b, text_a)))
        if a[1] != b[1]:
            found.append((f"{key} | source", f"nbconvert {b[1]!r}\n  syllabus  {a[1]!r}"))
        if len(a[2]) != len(b[2]):
            found.append((f"{key} | outputs: {len(b[2])} -> {len(a[2])}", f"nbconvert {b[2]}\n  syllabus  {a[2]}"))
            continue
        for i, ((m1, t1), (m2, t2)) in enumerate(zip(a[2], b[2]), 1):
            if m1 != m2:
                found.append((f"{key} | output {i}: {m2} -> {m1}", ""))
            elif not (m1 or "").startswith("image/") and t1 != t2:
                found.append((f"{key} | output {i} text", text_difference(t2, t1)))
    if end_ours != end_theirs:
        found.append((f"{file} | - | text at the end", text_difference(end_theirs, end_ours)))
    return found


def text_difference(theirs, ours):
    i = next((i for i, (x, y) in enumerate(zip(theirs, ours)) if x != y), min(len(theirs), len(ours)))
    return f"nbconvert ...{theirs[max(0, i - 60): i + 60]!r}\n  syllabus  ...{ours[max(0, i - 60): i + 60]!r}"


def main():
    pages = json.load(open(sys.argv[1], encoding="utf-8"))
    allowed = {}
    if len(sys.argv) > 2:
        for line in open(sys.argv[2], encoding="utf-8"):
            line = line.strip()
            if line and not line.startswith("#"):
                key, _, reason = line.partition("#")
                allowed[key.strip()] = reason.strip()
    seen, unexpected = set(), 0
    for page in pages:
        ours = syllabus_blocks(page["html"])
        try:
            theirs = nbconvert_blocks(page["notebook"])
        except Exception as e:  # nbconvert itself fails on some real notebooks
            found = [(f"{page['file']} | - | nbconvert failed", repr(e)[:300])]
        else:
            found = differences(page["file"], ours, theirs)
        for key, detail in found:
            if key in allowed:
                seen.add(key)
                continue
            unexpected += 1
            print(f"--- {key}\n  {detail}")
    stale = [k for k in allowed if k not in seen and k.split(" | ")[0] in {p["file"] for p in pages}]
    for key in stale:
        print(f"--- listed but not seen: {key}")
    print(f"nb-diff: {len(pages)} notebooks, {len(seen)} known differences, "
          f"{unexpected} unexpected, {len(stale)} listed but not seen")
    sys.exit(1 if unexpected or stale else 0)


if __name__ == "__main__":
    main()
