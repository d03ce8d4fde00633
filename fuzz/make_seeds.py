#!/usr/bin/python3
"""make_seeds.py: writes the seed corpora of the fuzz targets (run by tools/fuzz.sh).

Usage: make_seeds.py CORA_DIR CONFIGS_DIR OUT_DIR. Needs Debian's python3-numpy and
python3-scipy. Writes OUT_DIR/{npy,npz,graph,config}/: small valid inputs, since libFuzzer
mutates small files best:

npy     Cora's label and node_types members whole, a 4 x 16 corner of its features, the
        graph's row/shape/format members, and one array per supported dtype and header
        version (1.0, 2.0, 3.0), a scalar, an empty and a 3-D array.
npz     Cora's graph npz as shipped (deflated), a 12-node corner of Cora's data npz stored
        and deflated, and archives of the per-dtype arrays.
graph   Cora's graph npz as shipped, and the subgraph of its first 40 nodes as COO and CSR,
        stored and deflated, with int32 and int64 indices.
config  every configs/*.ini, each also with command-line words (flags and --conf
        assignments) after a NUL byte, in the format fuzz_config.c reads.
"""
import glob
import io
import os
import sys
import zipfile

import numpy as np
import scipy.sparse as sp

CORA, CONFIGS, OUT = sys.argv[1:4]


def put(target, name, data):
    folder = os.path.join(OUT, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def npy_bytes(arr, version=None):
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.asanyarray(arr), version=version)
    return buf.getvalue()


def zip_bytes(members, compressed):
    buf = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if compressed else zipfile.ZIP_STORED
    with zipfile.ZipFile(buf, "w", method) as z:
        for key, arr in members.items():
            z.writestr(key + ".npy", npy_bytes(arr))
    return buf.getvalue()


def sparse_bytes(matrix, compressed):
    buf = io.BytesIO()
    sp.save_npz(buf, matrix, compressed=compressed)
    return buf.getvalue()


data = np.load(os.path.join(CORA, "cora_data.npz"))
graph_path = os.path.join(CORA, "cora_graph.npz")
graph = np.load(graph_path)
with open(graph_path, "rb") as f:
    cora_graph = f.read()

# ---- npy ----
put("npy", "cora_label.npy", npy_bytes(data["label"]))
put("npy", "cora_node_types.npy", npy_bytes(data["node_types"]))
put("npy", "cora_feature_corner.npy", npy_bytes(data["feature"][:4, :16]))
for key in ("row", "shape", "format"):
    put("npy", "cora_graph_%s.npy" % key, npy_bytes(graph[key][:64] if graph[key].ndim else
                                                    graph[key]))
base = np.arange(12).reshape(3, 4)
dtypes = {
    "f4": base.astype("<f4") / 4, "f8": base.astype("<f8") / 8 - 0.5,
    "i4": base.astype("<i4") - 6, "i8": (base.astype("<i8") - 6) * (1 << 40),
    "u1": (base * 20).astype("|u1"), "b1": base % 3 == 0,
}
for name, arr in dtypes.items():
    put("npy", "dtype_%s.npy" % name, npy_bytes(arr))
put("npy", "version_2.npy", npy_bytes(dtypes["f4"], version=(2, 0)))
put("npy", "version_3.npy", npy_bytes(dtypes["i8"], version=(3, 0)))
put("npy", "scalar.npy", npy_bytes(np.array(7, dtype="<i8")))
put("npy", "empty.npy", npy_bytes(np.zeros((0, 5), dtype="<f4")))
put("npy", "three_d.npy", npy_bytes(np.arange(24, dtype="<i4").reshape(2, 3, 4)))
put("npy", "bytes.npy", npy_bytes(np.array(b"csr")))

# ---- npz ----
put("npz", "cora_graph.npz", cora_graph)
corner = {"feature": data["feature"][:12, :8], "label": data["label"][:12],
          "node_types": data["node_types"][:12]}
put("npz", "cora_data_corner_stored.npz", zip_bytes(corner, False))
put("npz", "cora_data_corner_deflated.npz", zip_bytes(corner, True))
put("npz", "dtypes_stored.npz", zip_bytes(dtypes, False))
put("npz", "dtypes_deflated.npz", zip_bytes(dtypes, True))

# ---- graph ----
put("graph", "cora_graph.npz", cora_graph)
n = 40
coo = sp.coo_matrix((graph["data"], (graph["row"], graph["col"])),
                    shape=tuple(graph["shape"])).tocsr()[:n, :n].tocoo()
for compressed in (False, True):
    tag = "deflated" if compressed else "stored"
    put("graph", "sub40_coo_%s.npz" % tag, sparse_bytes(coo, compressed))
    put("graph", "sub40_csr_%s.npz" % tag, sparse_bytes(coo.tocsr(), compressed))
    wide = {"row": coo.row.astype("<i8"), "col": coo.col.astype("<i8"), "data": coo.data,
            "shape": np.array([n, n], dtype="<i8"), "format": np.array(b"coo")}
    put("graph", "sub40_coo_i8_%s.npz" % tag, zip_bytes(wide, compressed))

# ---- config ----
words = [
    b"", b"\0model.hidden=64\0train.epochs=3", b"\0--workers=2\0--partitions=4\0-q",
    b"\0dataset.format=synthetic\0synthetic.nodes=100\0synthetic.classes=3",
    b"\0runtime.partitioner=hash\0--seed=7\0output.result=r.json",
]
for ini in sorted(glob.glob(os.path.join(CONFIGS, "*.ini"))):
    with open(ini, "rb") as f:
        text = f.read()
    stem = os.path.splitext(os.path.basename(ini))[0]
    for k, w in enumerate(words):
        put("config", "%s_%d" % (stem, k), text + w)
