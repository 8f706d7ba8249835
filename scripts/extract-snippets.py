#!/usr/bin/env python3
"""Turns every ```swift block of README.md and docs/*.md into a Swift file of the Examples
package's DocSnippets target, so that `swift build --package-path Examples` compiles the docs as
an app outside this package would (scripts/test.sh does this on every whole run).

Every ```js block becomes a module under `js/` of the output folder, which scripts/test.sh checks
with `node --check`; blocks that start with `// snippet: run` are also run in Chromium by the
browser tests (Tests/Interop/browser_sdk.py), against a real wallet.

Each block becomes one file: its leading imports (and #if/#endif around them) stay at the top,
and the rest becomes the body of an `async throws` function. A block that starts with
`// snippet: declarations` is taken as it is (types and functions at file scope).

    scripts/extract-snippets.py [output folder]   (default Examples/DocSnippets)
"""
import pathlib
import re
import shutil
import sys

root = pathlib.Path(__file__).resolve().parent.parent
out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else root / "Examples" / "DocSnippets"
shutil.rmtree(out, ignore_errors=True)
out.mkdir(parents=True)
header = re.compile(r"^\s*(import |@preconcurrency import |#if |#elseif |#else|#endif|//|$)")
count = 0
for doc in [root / "README.md", *sorted((root / "docs").glob("*.md"))]:
    blocks = re.findall(r"^```swift\n(.*?)^```$", doc.read_text(), flags=re.S | re.M)
    for number, block in enumerate(blocks, start=1):
        name = re.sub(r"\W", "_", doc.stem) + f"_{number}"
        lines = block.splitlines()
        origin = f"// From {doc.relative_to(root)}, swift block {number}. Generated: edit the doc, not this file.\n"
        if lines and lines[0].strip() == "// snippet: declarations":
            text = origin + block
        else:
            split = 0
            while split < len(lines) and header.match(lines[split]):
                split += 1
            # Keep trailing comments and blanks of the header with the body.
            while split > 0 and not re.match(r"^\s*(import |@preconcurrency import |#)", lines[split - 1]):
                split -= 1
            body = "\n".join("    " + line if line else "" for line in lines[split:])
            text = origin + "\n".join(lines[:split]) + f"\n\nfunc snippet_{name}() async throws {{\n{body}\n}}\n"
        (out / f"{name}.swift").write_text(text)
        count += 1
(out / "js").mkdir()
js_count = 0
for doc in [root / "README.md", *sorted((root / "docs").glob("*.md"))]:
    for number, block in enumerate(re.findall(r"^```js\n(.*?)^```$", doc.read_text(), flags=re.S | re.M), start=1):
        name = re.sub(r"\W", "_", doc.stem) + f"_{number}.mjs"
        (out / "js" / name).write_text(block)
        js_count += 1
(out / "main.swift").write_text(
    "// The docs' Swift blocks, compiled (scripts/extract-snippets.py); built, never run.\n"
    'print("The Swift blocks of README.md and docs/ compile.")\n'
)
print(f"snippets: {count} Swift and {js_count} JavaScript block(s) from README.md and docs/ in {out}")
