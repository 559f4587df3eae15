"""Differential check of syllabus' Markdown rendering against GitHub's cmark-gfm.

Input: a JSON file [{"file": ..., "markdown": ..., "html": ...}] where "html" is
syllabus' fragment for that Markdown. Both renderings are normalised to a token
stream (tags with the attributes that carry meaning, text with collapsed
white space) after setting aside what differs on purpose (see docs/markdown.md):
link targets and heading ids, highlighting spans and the code-block wrapper,
the table wrapper, heading anchor links, alert titles, math.

Prints one block per differing page and a closing line; exits 1 when a page
differs, unless it is listed in the allow file given as second argument.
"""
import html.parser
import json
import re
import sys

import cmarkgfm
from cmarkgfm.cmark import Options

KEEP_ATTRS = {"alt", "type", "checked", "disabled", "start", "colspan", "rowspan", "align"}
MATH_BLOCK = re.compile(r"\$\$(.+?)\$\$", re.S)
MATH_INLINE = re.compile(r"(?<![\\$\w])\$(?![\s$])([^$\n]+?)(?<![\s\\])\$(?![\w$])")
ALERT = re.compile(r"^\s*\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*", re.I)


class Tokens(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.skip = []          # stack of tags whose content is dropped
        self.stack = []         # open tags with how they were rewritten
        self.pre = 0
        self.alert_pending = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        if self.skip:
            self.skip.append(tag)
            return
        if tag == "a" and "heading-anchor" in cls or tag == "figcaption" or (tag == "p" and "markdown-alert-title" in cls):
            self.skip.append(tag)
            return
        if tag == "math":
            self.handle_data("MATH")
            self.skip.append(tag)
            return
        if self.pre and tag == "span":
            self.stack.append(None)
            return
        if (tag == "div" and "table-wrapper" in cls) or (tag == "figure" and "code-block" in cls) or tag == "code" and self.pre:
            self.stack.append(None)
            return
        if tag == "div" and "markdown-alert" in cls:
            tag = "blockquote"
        if tag == "blockquote":
            self.alert_pending = True
        if tag == "pre":
            self.pre += 1
        style = a.get("style") or ""
        m = re.search(r"text-align:\s*(\w+)", style)
        if m:
            a["align"] = m.group(1)
        kept = tuple(sorted((k, v or "") for k, v in a.items() if k in KEEP_ATTRS))
        self.stack.append(tag)
        self.out.append(("start", tag, kept))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in ("img", "input", "br", "hr", "source", "embed", "track", "wbr", "meta", "link", "col", "area"):
            self.handle_endtag(tag)
        elif self.stack and not self.skip:
            self.stack.pop()

    def handle_endtag(self, tag):
        if self.skip:
            self.skip.pop()
            return
        if tag in ("img", "input", "br", "hr", "source", "wbr"):
            if self.stack and self.stack[-1] == tag:
                self.stack.pop()
            return
        if not self.stack:
            return
        rewritten = self.stack.pop()
        if rewritten is None:
            return
        if rewritten == "pre":
            self.pre -= 1
        self.out.append(("end", rewritten))

    def handle_data(self, data):
        if self.skip:
            return
        kind = "code" if self.pre else "text"
        if not self.pre and self.alert_pending and data.strip():
            data = ALERT.sub("", data, count=1)
            self.alert_pending = False
        if self.out and self.out[-1][0] == kind:
            self.out[-1] = (kind, self.out[-1][1] + data)
        else:
            self.out.append((kind, data))


def tokens(fragment):
    p = Tokens()
    p.feed(fragment)
    p.close()
    out = []
    for t in p.out:
        if t[0] == "text":
            t = ("text", re.sub(r"\s+", " ", t[1]).strip())
            if not t[1]:
                continue
        out.append(t)
    return out


def strip_math(markdown):
    """GitHub renders math on the client; cmark-gfm alone sees it as text."""
    def sub_outside_code(text):
        parts = re.split(r"(^(?:```|~~~)[^\n]*\n.*?^(?:```|~~~)[ \t]*$|`[^`\n]+`)", text, flags=re.S | re.M)
        for i in range(0, len(parts), 2):
            parts[i] = MATH_BLOCK.sub("MATH", parts[i])
            parts[i] = MATH_INLINE.sub("MATH", parts[i])
        return "".join(parts)
    return sub_outside_code(markdown)


def gfm(markdown):
    # GitHub's tagfilter (which escapes <style>, <script>, <title> …) is left out:
    # syllabus passes raw HTML through unless safe mode is on (docs/markdown.md).
    opts = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES | Options.CMARK_OPT_GITHUB_PRE_LANG
    extensions = ["table", "autolink", "strikethrough", "tasklist"]
    return cmarkgfm.markdown_to_html_with_extensions(strip_math(markdown), options=opts, extensions=extensions)


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b)) if len(a) != len(b) else None


def main():
    pages = json.load(open(sys.argv[1], encoding="utf-8"))
    allowed = {}
    if len(sys.argv) > 2:
        for line in open(sys.argv[2], encoding="utf-8"):
            line = line.strip()
            if line and not line.startswith("#"):
                name, _, reason = line.partition(" ")
                allowed[name] = reason.strip()
    differing, allowed_hits = [], []
    for page in pages:
        ours, theirs = tokens(page["html"]), tokens(gfm(page["markdown"]))
        i = first_difference(ours, theirs)
        if i is None:
            continue
        if page["file"] in allowed:
            allowed_hits.append(page["file"])
            continue
        differing.append(page["file"])
        print(f"--- {page['file']}: first difference at token {i}")
        print("  syllabus:", ours[max(0, i - 2): i + 3])
        print("  cmark-gfm:", theirs[max(0, i - 2): i + 3])
    print(f"gfm-diff: {len(pages)} pages, {len(pages) - len(differing) - len(allowed_hits)} identical, "
          f"{len(allowed_hits)} known differences, {len(differing)} unexpected differences")
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
