"""The report's content as blocks (headings, paragraphs, tables, figures) and its two renderings.

The report is built once as a list of blocks and rendered to both HTML and
Markdown, so the two always agree. Also the number formats the report uses.
"""

from __future__ import annotations

import html
import re


def pct(value: float | None) -> str:
    """An accuracy in [0, 1] as the report writes it, e.g. ``98.12%``."""
    return "—" if value is None else f"{value * 100:.2f}%"


def duration(seconds: float) -> str:
    """Seconds as ``12.3 s``, ``4 min 05 s`` or ``1 h 02 min``."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(int(round(seconds)), 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    return f"{minutes // 60} h {minutes % 60:02d} min"


class Blocks(list):
    """The report's content as (kind, ...) tuples, rendered to HTML and Markdown."""

    def heading(self, text: str, level: int = 2) -> None:
        """A section heading."""
        self.append(("heading", level, text))

    def para(self, text: str) -> None:
        """A paragraph of plain text."""
        self.append(("para", text))

    def bullets(self, items: list[str]) -> None:
        """A bulleted list."""
        self.append(("bullets", items))

    def table(self, headers: list[str], rows: list[list[str]]) -> None:
        """A table of text cells."""
        self.append(("table", headers, rows))

    def figure(self, filename: str, caption: str) -> None:
        """A PNG in ``figures/`` with a caption."""
        self.append(("figure", f"figures/{filename}", caption))


def render_html(blocks: Blocks, title: str) -> str:
    """The blocks as a self-contained HTML page (figures linked from ``figures/``)."""
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        "<style>body{font-family:system-ui,sans-serif;max-width:1150px;margin:2em auto;"
        "padding:0 1em;color:#222}table{border-collapse:collapse;margin:1em 0;font-size:14px}"
        "th,td{border:1px solid #ccc;padding:3px 8px;text-align:left}th{background:#f2f2f2}"
        "td.num{text-align:right}figure{margin:1em 0}img{max-width:100%}"
        "figcaption{color:#555;font-size:14px}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    for block in blocks:
        kind = block[0]
        if kind == "heading":
            out.append(f"<h{block[1]}>{html.escape(block[2])}</h{block[1]}>")
        elif kind == "para":
            text = re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(block[1]))
            out.append(f"<p>{text}</p>")
        elif kind == "bullets":
            out.append("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in block[1]) + "</ul>")
        elif kind == "table":
            out.append("<table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in block[1]))
            for row in block[2]:
                cells = "".join(_cell(c) for c in row)
                out.append(f"</tr><tr>{cells}")
            out.append("</tr></table>")
        elif kind == "figure":
            src, caption = html.escape(block[1]), html.escape(block[2])
            out.append(f'<figure><img src="{src}" alt="{caption}">')
            out.append(f"<figcaption>{caption}</figcaption></figure>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    numeric = bool(text) and (text[0].isdigit() or text == "—")
    return (
        f'<td class="num">{html.escape(text)}</td>' if numeric else f"<td>{html.escape(text)}</td>"
    )


def render_markdown(blocks: Blocks, title: str) -> str:
    """The blocks as Markdown (figures linked from ``figures/``)."""
    out = [f"# {title}", ""]
    for block in blocks:
        kind = block[0]
        if kind == "heading":
            out += ["#" * block[1] + " " + block[2], ""]
        elif kind == "para":
            out += [block[1], ""]
        elif kind == "bullets":
            out += [f"- {item}" for item in block[1]] + [""]
        elif kind == "table":
            out.append("| " + " | ".join(block[1]) + " |")
            out.append("|" + "---|" * len(block[1]))
            out += ["| " + " | ".join(c.replace("|", "/") for c in row) + " |" for row in block[2]]
            out.append("")
        elif kind == "figure":
            out += [f"![{block[2]}]({block[1]})", "", f"*{block[2]}*", ""]
    return "\n".join(out)
