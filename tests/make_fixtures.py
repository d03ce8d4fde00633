#!/usr/bin/python3
"""make_fixtures.py: writes the .npy/.npz fixtures of test_npz and test_dataset.

Usage: make_fixtures.py FIXTURE_DIR STAMP_FILE. Run by meson (Debian's /usr/bin/python3 with
numpy and scipy) before the tests; deterministic; writes STAMP_FILE last so that an
interrupted run is redone.

npy_*.npy / arrays_*.npz   one valid array per supported dtype (and header versions 1.0,
                           2.0, 3.0), stored and deflated; bad_*.npy / bad_*.npz one file per
                           parser error path.
ds_<case>_data.npz + ds_<case>_graph.npz
                           tiny DGL raw-layout datasets: valid ones (COO and CSR graphs,
                           stored and deflated, several dtypes, duplicate edges and
                           self-loops) and one broken pair per loader error path; a broken
                           case only writes the file that differs from the good one, and the
                           test pairs it with ds_good_*.
"""
import io
import os
import shutil
import sys
import zipfile

import numpy as np
import scipy.sparse as sp

OUT = sys.argv[1]
STAMP = sys.argv[2]


def path(name):
    return os.path.join(OUT, name)


def npy_bytes(arr, version=None):
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.asanyarray(arr), version=version)
    return buf.getvalue()


def raw_npy(header, data=b"", version=(1, 0)):
    """A hand-made .npy: header is the dict text, padded the way numpy pads it."""
    h = header.encode("latin1")
    pre = 10 if version[0] == 1 else 12
    pad = (64 - (pre + len(h) + 1) % 64) % 64
    h = h + b" " * pad + b"\n"
    if version[0] == 1:
        ln = len(h).to_bytes(2, "little")
    else:
        ln = len(h).to_bytes(4, "little")
    return b"\x93NUMPY" + bytes(version) + ln + h + data


def write_zip(name, members, compressed):
    """members: dict key -> .npy bytes (written as key.npy)."""
    method = zipfile.ZIP_DEFLATED if compressed else zipfile.ZIP_STORED
    with zipfile.ZipFile(path(name), "w", method) as z:
        for key, data in members.items():
            z.writestr(key + ".npy", data)


def write_file(name, data):
    with open(path(name), "wb") as f:
        f.write(data)


# ---- npy / npz parser fixtures ----

BASE = np.arange(12).reshape(3, 4)
DTYPES = {
    "f4": BASE.astype("<f4") / 4,
    "f8": BASE.astype("<f8") / 8 - 0.5,
    "i4": BASE.astype("<i4") - 6,
    "i8": (BASE.astype("<i8") - 6) * (1 << 40),
    "u1": (BASE * 20).astype("|u1"),
    "b1": (BASE % 3 == 0),
}


def npz_fixtures():
    for name, arr in DTYPES.items():
        write_file("npy_%s.npy" % name, npy_bytes(arr))
    write_file("npy_S3.npy", npy_bytes(np.array(b"coo")))
    write_file("npy_v2.npy", npy_bytes(DTYPES["f4"], version=(2, 0)))
    write_file("npy_v3.npy", npy_bytes(DTYPES["i8"], version=(3, 0)))
    write_file("npy_scalar.npy", npy_bytes(np.array(7, dtype="<i8")))
    write_file("npy_empty.npy", npy_bytes(np.zeros((0, 5), dtype="<f4")))
    write_file("npy_3d.npy", npy_bytes(np.arange(24, dtype="<i4").reshape(2, 3, 4)))

    members = {name: npy_bytes(arr) for name, arr in DTYPES.items()}
    members["S3"] = npy_bytes(np.array(b"csr"))
    members["v2"] = npy_bytes(DTYPES["f4"], version=(2, 0))
    write_zip("arrays_stored.npz", members, compressed=False)
    write_zip("arrays_deflated.npz", members, compressed=True)
    # numpy's own writers, for good measure
    np.savez(path("arrays_savez.npz"), **DTYPES)
    np.savez_compressed(path("arrays_savez_compressed.npz"), **DTYPES)

    f4 = DTYPES["f4"]
    good = npy_bytes(f4)
    bad = {
        "bad_dtype_i1": npy_bytes(np.arange(4, dtype="|i1")),
        "bad_dtype_u4": npy_bytes(np.arange(4, dtype="<u4")),
        "bad_dtype_f2": npy_bytes(np.arange(4, dtype="<f2")),
        "bad_dtype_U3": npy_bytes(np.array("coo")),
        "bad_dtype_c8": npy_bytes(np.arange(4, dtype="<c8")),
        "bad_dtype_struct": npy_bytes(np.zeros(2, dtype=[("a", "<i4"), ("b", "<f4")])),
        "bad_bigendian": npy_bytes(np.arange(4, dtype=">f4")),
        "bad_fortran": npy_bytes(np.asfortranarray(f4)),
        "bad_truncated": good[:-5],
        "bad_trailing": good + b"\0\0\0\0",
        "bad_magic": b"\x93NUMPZ" + good[6:],
        "bad_version": b"\x93NUMPY\x04\x00" + good[8:],
        "bad_short": good[:7],
        "bad_header_cut": good[:40],
        "bad_header_huge": raw_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }"
                                   + " " * 70000, b"\0" * 12, version=(2, 0)),
        "bad_header_syntax": raw_npy("{'descr': '<f4', 'fortran_order': False, 'shape': 3, }"),
        "bad_header_key": raw_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), "
                                  "'extra': 1, }", b"\0" * 4),
        "bad_header_missing": raw_npy("{'descr': '<f4', 'shape': (1,), }", b"\0" * 4),
        "bad_shape_overflow": raw_npy("{'descr': '<f8', 'fortran_order': False, "
                                      "'shape': (4294967296, 4294967296), }", b"\0" * 8),
        "bad_shape_negative": raw_npy("{'descr': '<f4', 'fortran_order': False, "
                                      "'shape': (-1,), }", b"\0" * 4),
        "bad_shape_huge": raw_npy("{'descr': '<f4', 'fortran_order': False, "
                                  "'shape': (99999999999999999999999,), }"),
    }
    for name, data in bad.items():
        write_file(name + ".npy", data)
    # the same broken members inside zips, keyed "x"
    for name in ("bad_dtype_i1", "bad_fortran", "bad_truncated", "bad_trailing",
                 "bad_bigendian"):
        write_zip(name + ".npz", {"x": bad[name]}, compressed=True)
    write_zip("bad_truncated_stored.npz", {"x": bad["bad_truncated"]}, compressed=False)

    # not zips, damaged zips
    write_file("bad_notzip.npz", b"this is not a zip archive\n" * 10)
    write_file("bad_empty.npz", b"")
    with open(path("arrays_deflated.npz"), "rb") as f:
        whole = f.read()
    write_file("bad_cut.npz", whole[: len(whole) // 2])
    # a deflated member whose compressed bytes are damaged (CRC or inflate error)
    big = {"x": npy_bytes(np.arange(20000, dtype="<i8") % 97)}
    write_zip("bad_crc.npz", big, compressed=True)
    with open(path("bad_crc.npz"), "r+b") as f:
        data = bytearray(f.read())
        with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
            info = z.getinfo("x.npy")
        start = info.header_offset + 30 + len(info.filename) + len(info.extra)
        mid = start + info.compress_size // 2
        for k in range(mid, mid + 16):
            data[k] ^= 0x5A
        f.seek(0)
        f.write(data)
    # stored member with a damaged data byte: only the CRC can catch it
    write_zip("bad_crc_stored.npz", {"x": npy_bytes(np.arange(100, dtype="<i4"))},
              compressed=False)
    with open(path("bad_crc_stored.npz"), "r+b") as f:
        data = bytearray(f.read())
        with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
            info = z.getinfo("x.npy")
        start = info.header_offset + 30 + len(info.filename) + len(info.extra)
        data[start + info.file_size - 3] ^= 0xFF
        f.seek(0)
        f.write(data)


# ---- dataset fixtures ----

N, F = 6, 3
FEATURE = (np.arange(N * F, dtype="<f4").reshape(N, F) + 1) / 10
LABEL = np.array([0, 1, 2, 1, 0, 2], dtype="<i8")
NODE_TYPES = np.array([1, 1, 2, 3, 0, 1], dtype="<i8")
# undirected 0-1, 1-2, 2-0, 3-4; a duplicate 0->1, self-loops 2->2 and 5->5; node 5 has no
# other edge. After coalescing: 8 directed edges, rows 0:[1,2] 1:[0,2] 2:[0,1] 3:[4] 4:[3] 5:[]
ROW = np.array([0, 1, 1, 2, 2, 0, 3, 4, 0, 2, 5], dtype="<i4")
COL = np.array([1, 0, 2, 1, 0, 2, 4, 3, 1, 2, 5], dtype="<i4")


def data_npz(name, compressed=True, **over):
    arrays = {"feature": FEATURE, "label": LABEL, "node_types": NODE_TYPES}
    arrays.update(over)
    arrays = {k: v for k, v in arrays.items() if v is not None}
    (np.savez_compressed if compressed else np.savez)(path("ds_%s_data.npz" % name), **arrays)


def coo_graph(row=ROW, col=COL, n=N, m=None):
    return sp.coo_matrix((np.ones(len(row), dtype="<f4"), (row, col)),
                         shape=(n, n if m is None else m))


def graph_npz(name, matrix, compressed=True):
    sp.save_npz(path("ds_%s_graph.npz" % name), matrix, compressed=compressed)


def raw_graph_npz(name, compressed=True, **arrays):
    """A graph npz written without scipy's checks (for out-of-range indices and the like)."""
    base = {"row": ROW, "col": COL, "data": np.ones(len(ROW), dtype="<f4"),
            "shape": np.array([N, N], dtype="<i8"), "format": np.array(b"coo")}
    base.update(arrays)
    base = {k: v for k, v in base.items() if v is not None}
    (np.savez_compressed if compressed else np.savez)(path("ds_%s_graph.npz" % name), **base)


def dataset_fixtures():
    # valid
    data_npz("good")
    graph_npz("good", coo_graph())
    data_npz("stored", compressed=False)
    graph_npz("stored", coo_graph(), compressed=False)
    # CSR with unsorted columns, a duplicate and self-loops, int32 indices (scipy's default)
    indptr = np.array([0, 3, 5, 8, 9, 10, 11], dtype="<i4")
    indices = np.array([2, 1, 1, 2, 0, 2, 1, 0, 4, 3, 5], dtype="<i4")
    csr = sp.csr_matrix((np.ones(11, dtype="<f4"), indices, indptr), shape=(N, N))
    data_npz("csr")
    graph_npz("csr", csr)
    # CSR with int64 indices, stored
    data_npz("csr64", compressed=False)
    raw_graph_npz("csr64", compressed=False, row=None, col=None, format=np.array(b"csr"),
                  indptr=indptr.astype("<i8"), indices=indices.astype("<i8"),
                  data=np.ones(11, dtype="<f8"))
    # other dtypes: float64 features, int32 labels, uint8 node types, int64 COO indices
    data_npz("dtypes1", feature=FEATURE.astype("<f8"), label=LABEL.astype("<i4"),
             node_types=NODE_TYPES.astype("|u1"))
    raw_graph_npz("dtypes1", row=ROW.astype("<i8"), col=COL.astype("<i8"))
    # uint8 features, uint8 labels, int32 node types, bool (0/1) features elsewhere
    data_npz("dtypes2", feature=(FEATURE * 10).astype("|u1"), label=LABEL.astype("|u1"),
             node_types=NODE_TYPES.astype("<i4"))
    graph_npz("dtypes2", coo_graph())
    data_npz("dtypes3", feature=(FEATURE > 0.9), label=LABEL.astype("<i4"))
    graph_npz("dtypes3", coo_graph())
    # a graph with no edges at all
    data_npz("noedges")
    raw_graph_npz("noedges", row=np.zeros(0, dtype="<i4"), col=np.zeros(0, dtype="<i4"),
                  data=np.zeros(0, dtype="<f4"))

    # broken data files (paired with ds_good_graph.npz)
    write_file("ds_notzip_data.npz", b"feature,label\n1,2\n")
    with open(path("ds_good_data.npz"), "rb") as f:
        good = f.read()
    write_file("ds_cutzip_data.npz", good[: len(good) // 3])
    trunc = npy_bytes(FEATURE)[:-7]
    write_zip("ds_truncated_data.npz", {"feature": trunc, "label": npy_bytes(LABEL),
                                         "node_types": npy_bytes(NODE_TYPES)}, compressed=True)
    data_npz("missingkey", node_types=None)
    data_npz("baddtype", feature=FEATURE.astype("<f2"))
    data_npz("baddtype_label", label=LABEL.astype("|i1"))
    data_npz("fortran", feature=np.asfortranarray(FEATURE))
    data_npz("bigendian", feature=FEATURE.astype(">f4"))
    data_npz("feature1d", feature=FEATURE[:, 0].copy())
    data_npz("labelshort", label=LABEL[:-1])
    data_npz("label2d", label=LABEL.reshape(N, 1))
    data_npz("typeslong", node_types=np.append(NODE_TYPES, 1))
    data_npz("labelneg", label=np.array([0, 1, -1, 1, 0, 2], dtype="<i8"))
    data_npz("labelfloat", label=LABEL.astype("<f4"))
    data_npz("labelhuge", label=np.array([0, 1, 2, 1, 0, 5000000000], dtype="<i8"))
    nan = FEATURE.copy()
    nan[4, 1] = np.nan
    data_npz("nan", feature=nan)
    inf = FEATURE.copy()
    inf[2, 2] = -np.inf
    data_npz("inf", feature=inf)
    data_npz("typesbad", node_types=np.array([1, 1, 2, 4, 0, 1], dtype="<i8"))
    data_npz("typesneg", node_types=np.array([1, -1, 2, 3, 0, 1], dtype="<i8"))
    data_npz("notrain", node_types=np.array([2, 2, 2, 3, 0, 3], dtype="<i8"))
    data_npz("nonodes", feature=np.zeros((0, F), dtype="<f4"),
             label=np.zeros(0, dtype="<i8"), node_types=np.zeros(0, dtype="<i8"))

    # broken graph files (paired with ds_good_data.npz)
    write_file("ds_notzip_graph.npz", b"\x00" * 100)
    raw_graph_npz("missingrow", row=None)
    raw_graph_npz("missingformat", format=None)
    graph_npz("shapebig", coo_graph(n=N + 1))
    graph_npz("nonsquare", coo_graph(m=N + 2))
    raw_graph_npz("rowout", row=np.array([0, 1, 1, 2, 2, 0, 3, 4, 0, 2, 6], dtype="<i4"))
    raw_graph_npz("colneg", col=np.array([1, 0, 2, 1, 0, 2, 4, 3, 1, -2, 5], dtype="<i4"))
    raw_graph_npz("colshort", col=COL[:-1])
    raw_graph_npz("rowfloat", row=ROW.astype("<f4"))
    raw_graph_npz("rowu4", row=ROW.astype("<u4"))
    raw_graph_npz("fortranrow", row=np.asfortranarray(np.stack([ROW, ROW], axis=1)))
    graph_npz("csc", coo_graph().tocsc())
    raw_graph_npz("csrbadptr", row=None, col=None, format=np.array(b"csr"),
                  indptr=np.array([0, 3, 2, 8, 9, 10, 11], dtype="<i4"), indices=indices)
    raw_graph_npz("csrout", row=None, col=None, format=np.array(b"csr"), indptr=indptr,
                  indices=np.array([2, 1, 1, 2, 0, 2, 1, 0, 4, 3, 9], dtype="<i4"))
    raw_graph_npz("csrnnz", row=None, col=None, format=np.array(b"csr"), indptr=indptr,
                  indices=indices[:-1])
    # truncated graph member
    write_zip("ds_truncated_graph.npz", {"row": npy_bytes(ROW)[:-3], "col": npy_bytes(COL),
                                          "shape": npy_bytes(np.array([N, N])),
                                          "format": npy_bytes(np.array(b"coo"))},
              compressed=False)


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    npz_fixtures()
    dataset_fixtures()
    with open(STAMP, "w") as f:
        f.write("fixtures written to %s\n" % OUT)


if __name__ == "__main__":
    main()
