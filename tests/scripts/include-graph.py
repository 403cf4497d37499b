#!/usr/bin/env python3
"""Include graph of lib/: fails on any cycle, and on lib/crypto/ or the backends including the fscrypt layer.

Usage: include-graph.py SOURCE_DIR. Quoted includes are resolved the way the build does
(relative to the including file, then lib/, then include/); system includes are ignored.
"""
import os
import re
import sys

if len(sys.argv) > 1 and sys.argv[1] == "--self-test":
    # The checker must see a planted cycle and a planted upward include, or it proves nothing.
    import subprocess
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        os.makedirs(os.path.join(d, "lib", "crypto"))
        for name, body in (("lib/a.h", '#include "b.h"\n'), ("lib/b.h", '#include "a.h"\n'),
                           ("lib/cipher.h", ""), ("lib/crypto/x.c", '#include "../cipher.h"\n')):
            with open(os.path.join(d, name), "w", encoding="utf-8") as fh:
                fh.write(body)
        r = subprocess.run([sys.executable, __file__, d], capture_output=True, text=True)
        ok = r.returncode == 1 and "include cycle" in r.stdout and "crypto/x.c includes lib/cipher.h" in r.stdout
        print("include-graph self-test:", "ok" if ok else "FAILED\n" + r.stdout)
        sys.exit(0 if ok else 1)

src = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", ".."))
lib = os.path.join(src, "lib")
inc_re = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)

# Primitive layer: may include only itself, the shared helpers below, and public headers.
PRIMITIVE_DIRS = ("crypto", "x86", "arm")
PRIMITIVE_MAY_INCLUDE = {"internal.h", "cpu.h"}

files = []
for root, _, names in os.walk(lib):
    files += [os.path.join(root, n) for n in names if n.endswith((".c", ".h"))]


def resolve(frm, name):
    for base in (os.path.dirname(frm), lib, os.path.join(src, "include")):
        p = os.path.normpath(os.path.join(base, name))
        if os.path.isfile(p):
            return p
    return None


graph, problems = {}, []
for f in files:
    with open(f, encoding="utf-8") as fh:
        text = fh.read()
    graph[f] = []
    for name in inc_re.findall(text):
        target = resolve(f, name)
        if target is None:
            problems.append(f"{os.path.relpath(f, src)}: cannot resolve \"{name}\"")
            continue
        graph[f].append(target)

for f, targets in graph.items():
    rel = os.path.relpath(f, lib)
    if rel.split(os.sep)[0] not in PRIMITIVE_DIRS:
        continue
    for t in targets:
        if not t.startswith(lib + os.sep):
            continue  # public headers
        trel = os.path.relpath(t, lib)
        if trel.split(os.sep)[0] in PRIMITIVE_DIRS or trel in PRIMITIVE_MAY_INCLUDE:
            continue
        problems.append(f"lib/{rel} includes lib/{trel}: the primitive layer must not know the fscrypt layer")

# Cycle detection: depth-first search with colours; report each cycle found once.
WHITE, GREY, BLACK = 0, 1, 2
colour = {f: WHITE for f in graph}
stack = []


def visit(n):
    colour[n] = GREY
    stack.append(n)
    for m in graph.get(n, []):
        if m not in colour:
            continue
        if colour[m] == GREY:
            cyc = stack[stack.index(m):] + [m]
            problems.append("include cycle: " + " -> ".join(os.path.relpath(x, src) for x in cyc))
        elif colour[m] == WHITE:
            visit(m)
    stack.pop()
    colour[n] = BLACK


sys.setrecursionlimit(10000)
for f in sorted(graph):
    if colour[f] == WHITE:
        visit(f)

edges = sum(len(v) for v in graph.values())
if problems:
    print("\n".join(problems))
    print(f"include-graph: {len(problems)} problem(s) in {len(graph)} files, {edges} edges")
    sys.exit(1)
print(f"include-graph: {len(graph)} files, {edges} edges, no cycle, lib/crypto, lib/x86, lib/arm free of the fscrypt layer")
