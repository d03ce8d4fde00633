#!/usr/bin/python3
"""bench_quick_check.py: the gcnbench test (issue 5). Runs gcnbench as a user would and
checks what it leaves behind:

1. usage errors: a missing config, a bad workers list, more repeats than seeds, a stray
   argument: exit status 2 and exactly one line on stderr, no output folder created;
2. a failing run (a gcnrun wrapper that fails for local[2]): recorded as an error run file
   (with its CPU time and cores used), the matrix goes on, the report lists it, exit status 1;
3. Ctrl-C: SIGINT after the first finished run: exit status 130, finished run files kept,
   no temporary file left, report built; --resume then runs only the missing runs;
4. the quick matrix (configs/bench-quick.ini, --no-plots --quiet): every run file exists
   and parses, the per-configuration CSVs agree with the run files (seed, total_time_s, the
   CPU columns), benchmark_summary.csv agrees with the runs, comparison.csv's speedup is the
   sequential mean epoch time over the configuration's and its utilization the runs' mean,
   summary.md has the target lines and a utilization per configuration; every run has CPU
   time > 0, the cores its configuration can use (min(N, online CPUs) for local[N], the BLAS
   threads for sequential) and utilization = CPU time / (wall time x cores used) in
   (0, 1.05 x online CPUs / cores used]: (0, 1.05] wherever the configuration can use every
   CPU; above 1 is possible with fewer, as gcnrun generates and loads data with OpenMP
   threads on every CPU;
5. --resume on the finished matrix runs nothing (every run file keeps its mtime).

Usage: bench_quick_check.py GCNBENCH GCNRUN WORKDIR (run from the source root).
Python standard library only (Debian's /usr/bin/python3)."""
import csv
import glob
import json
import math
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time

GCNBENCH, GCNRUN, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
QUICK = "configs/bench-quick.ini"
# small and fast runs for the error, failure and interrupt checks
SMALL = ["--conf", "synthetic.nodes=3000", "--epochs", "3", "--conf", "sweep.hidden=",
         "--conf", "sweep.partitioners=", "--conf", "sweep.forward_only=false"]


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def run(args, env=None):
    p = subprocess.run([GCNBENCH] + args, capture_output=True, text=True, env=env)
    return p.returncode, p.stdout, p.stderr


def runs_of(out):
    return sorted(glob.glob(os.path.join(out, "runs", "*.json")))


def load(path):
    with open(path) as f:
        return json.load(f)


def slug(label):
    """The run id's label part (drivers/bench/bench_plan.h)."""
    s = re.sub(r"[\[\]=]", "", label)
    return re.sub(r"[^A-Za-z0-9]+", "_", s).strip("_")


def usage_errors():
    out = os.path.join(WORK, "usage")
    cases = [
        (["--config", "configs/no-such-bench.ini", "--out", out], "no-such-bench.ini"),
        (["--config", QUICK, "--workers", "0,x", "--out", out], "--workers 0,x"),
        (["--config", QUICK, "--repeats", "4", "--out", out], "repeats = 4"),
        (["--config", QUICK, "--seeds", "1,2", "--out", out], "only 2 seeds"),
        (["--config", QUICK, "stray", "--out", out], "stray"),
        (["--config", QUICK, "--conf", "train.epochs=3", "--out", out], "--epochs"),
    ]
    for args, needle in cases:
        rc, so, se = run(args)
        lines = se.strip().splitlines()
        check(rc == 2, "%s: exit status %d, expected 2 (stderr: %r)" % (args, rc, se))
        check(len(lines) == 1 and lines[0].startswith("gcnbench: ") and needle in lines[0],
              "%s: expected one 'gcnbench: ...%s...' line on stderr, got %r" % (args, needle, se))
        check(not os.path.exists(out), "%s: created %s before failing" % (args, out))
    print("ok: %d usage errors exit 2 with one line" % len(cases))


def failing_run():
    out = os.path.join(WORK, "failing")
    wrapper = os.path.join(WORK, "gcnrun-fails-local2")
    with open(wrapper, "w") as f:
        f.write("#!/bin/sh\n"
                "case \" $* \" in *\" --workers 2 \"*) "
                "echo 'gcnrun: simulated failure for local[2]' >&2; exit 1;; esac\n"
                "exec '%s' \"$@\"\n" % os.path.abspath(GCNRUN))
    os.chmod(wrapper, os.stat(wrapper).st_mode | stat.S_IXUSR)
    env = dict(os.environ, GCNRUN=wrapper)
    rc, so, se = run(["--config", QUICK, "--out", out, "--workers", "0,2", "--repeats", "1",
                      "--no-plots", "--quiet"] + SMALL, env)
    check(rc == 1, "a failed run: exit status %d, expected 1 (stderr %r)" % (rc, se))
    check("simulated failure" in se, "the failed run is not reported on stderr: %r" % se)
    bad = load(os.path.join(out, "runs", "local2_seed42.json"))
    good = load(os.path.join(out, "runs", "sequential_seed42.json"))
    check(bad["status"] == "error" and bad["bench"]["status"] == "error",
          "failed run file status: %r" % bad.get("status"))
    check(bad["bench"]["error"] == "gcnrun: simulated failure for local[2]",
          "failed run error: %r" % bad["bench"].get("error"))
    check(bad["error"] == bad["bench"]["error"] and bad["workers"] == 2 and bad["seed"] == 42,
          "failed run file fields: %r" % bad)
    b = bad["bench"]
    check(b["cpu_user_s"] >= 0 and b["cpu_sys_s"] >= 0 and b["wall_s"] > 0 and
          b["cores_used"] == min(2, b["online_cpus"]),
          "failed run's CPU fields: %r" % b)
    check(good["status"] == "ok" and good["bench"]["status"] == "ok", "the other run failed")
    with open(os.path.join(out, "summary.md")) as f:
        check("simulated failure" in f.read(), "summary.md does not list the failed run")
    print("ok: a failed run is recorded, the matrix goes on, exit status 1")


def interrupt_and_resume():
    out = os.path.join(WORK, "interrupted")
    args = ["--config", QUICK, "--out", out, "--workers", "0,1", "--repeats", "3",
            "--no-plots", "--quiet"] + SMALL
    p = subprocess.Popen([GCNBENCH] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    deadline = time.time() + 120
    while not runs_of(out) and p.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    if p.poll() is not None:
        fail("gcnbench ended before it could be interrupted: %r" % (p.communicate(),))
    p.send_signal(signal.SIGINT)
    so, se = p.communicate(timeout=120)
    check(p.returncode == 130, "interrupted: exit status %d, expected 130 (stderr %r)"
          % (p.returncode, se))
    kept = runs_of(out)
    check(0 < len(kept) < 6, "interrupted: %d run files kept" % len(kept))
    check(all(load(r)["status"] == "ok" for r in kept), "an interrupted run was recorded")
    left = [f for f in os.listdir(os.path.join(out, "runs")) if not f.endswith(".json")]
    check(not left, "interrupted: temporary files left in runs/: %r" % left)
    check(os.path.exists(os.path.join(out, "summary.md")), "interrupted: no report")
    before = {r: os.stat(r).st_mtime_ns for r in kept}
    rc, so, se = run(args + ["--resume"])
    check(rc == 0, "--resume after Ctrl-C: exit status %d (stderr %r)" % (rc, se))
    check(len(runs_of(out)) == 6, "--resume: %d run files, expected 6" % len(runs_of(out)))
    check(all(os.stat(r).st_mtime_ns == t for r, t in before.items()),
          "--resume ran a finished run again")
    print("ok: Ctrl-C keeps %d finished runs (exit 130), --resume runs the other %d"
          % (len(kept), 6 - len(kept)))


def num(s):
    return float(s) if s != "" else math.nan


def close(a, b, rel=1e-9):
    return abs(a - b) <= rel * max(abs(a), abs(b), 1e-300)


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


CPU_COLUMNS = ("wall_s", "cpu_user_s", "cpu_sys_s", "cores_used", "utilization")


def check_cpu(path, r):
    """A finished run's CPU time, cores used and utilization (bench object)."""
    b = r["bench"]
    online = b["online_cpus"]
    cpu = b["cpu_user_s"] + b["cpu_sys_s"]
    want = min(b["workers"] if b["workers"] > 0 else r["blas_threads"], online)
    check(online >= 1 and cpu > 0, "%s: online_cpus %r, CPU time %r" % (path, online, cpu))
    check(b["cores_used"] == want, "%s: cores_used %r, expected %r (workers %d, blas_threads "
          "%d, %d CPUs)" % (path, b["cores_used"], want, b["workers"], r["blas_threads"],
                            online))
    u = b["utilization"]
    check(abs(u - cpu / (b["wall_s"] * want)) <= 1e-4,
          "%s: utilization %r is not CPU time %r / (wall %r x %d cores)" % (path, u, cpu,
                                                                          b["wall_s"], want))
    check(0 < u <= 1.05 * online / want,
          "%s: utilization %r outside (0, %.2f] (%d of %d CPUs)" % (path, u, 1.05 * online / want,
                                                                    want, online))


def check_cpu_row(name, row, r):
    """A metrics CSV row's CPU columns against its run file."""
    for col in CPU_COLUMNS:
        check(close(num(row[col]), r["bench"][col]),
              "%s seed %s: %s %r, run file %r" % (name, row["seed"], col, row[col],
                                                  r["bench"][col]))


def quick_matrix():
    out = os.path.join(WORK, "quick")
    t0 = time.time()
    rc, so, se = run(["--config", QUICK, "--out", out, "--no-plots", "--quiet"])
    wall = time.time() - t0
    check(rc == 0, "quick matrix: exit status %d (stderr %r)" % (rc, se))
    check(so == "", "--quiet printed to stdout: %r" % so[:200])

    with open(QUICK) as f:
        ini = f.read()
    with open(os.path.join(out, "bench.ini")) as f:
        copy = f.read()
    check(copy.startswith(ini) and "\n[effective]\n" in copy[len(ini):],
          "bench.ini is not the config followed by [effective]")

    runs = {}
    for path in runs_of(out):
        r = load(path)
        b = r["bench"]
        rid = "%s_seed%d" % (slug(b["label"]), b["seed"])
        check(os.path.basename(path) == rid + ".json", "%s holds run %s" % (path, rid))
        check(r["status"] == "ok" and b["status"] == "ok", "%s failed: %r" % (path, b))
        check(r["seed"] == b["seed"] and r["workers"] == b["workers"],
              "%s: gcnrun's seed/workers differ from bench's" % path)
        check(b["wait4_peak_rss_bytes"] > 0 and b["wall_s"] >= r["total_time_s"],
              "%s: bench peak memory / wall time implausible" % path)
        check(len(r["losses"]) == r["epochs_run"] == 20, "%s: not 20 epochs" % path)
        check_cpu(path, r)
        runs[(b["label"], b["seed"])] = r
    matrix = ["sequential", "local[1]", "local[2]", "local[16]"]
    seeds = [42, 123, 456]
    sweep = ["local[2], hidden=16", "local[2], hidden=128", "local[2], partitioner=hash",
             "local[2], partitioner=metis", "local[2], forward-only"]
    want = {(c, s) for c in matrix for s in seeds} | {(c, 42) for c in sweep}
    check(set(runs) == want, "run files: got %s, expected %s" % (sorted(runs), sorted(want)))

    files = {"sequential": "sequential_metrics.csv", "local[1]": "local_1_metrics.csv",
             "local[2]": "local_2_metrics.csv", "local[16]": "local_16_metrics.csv"}
    for cfg, name in files.items():
        rows = read_csv(os.path.join(out, name))
        check(sorted(int(r["seed"]) for r in rows) == seeds, "%s: seeds %r" % (name, rows))
        for row in rows:
            r = runs[(cfg, int(row["seed"]))]
            check(row["config"] == cfg and row["status"] == "ok", "%s: row %r" % (name, row))
            check(close(num(row["total_time_s"]), r["total_time_s"]),
                  "%s seed %s: total_time_s %s, run file %r" % (name, row["seed"],
                                                                row["total_time_s"],
                                                                r["total_time_s"]))
            check_cpu_row(name, row, r)
    for name, n in (("sweep_hidden_metrics.csv", 2), ("sweep_partitioner_metrics.csv", 2),
                    ("sweep_forward_only_metrics.csv", 1)):
        rows = read_csv(os.path.join(out, name))
        check(len(rows) == n, "%s: %d rows, expected %d" % (name, len(rows), n))
        for row in rows:
            check_cpu_row(name, row, runs[(row["config"], int(row["seed"]))])

    summary = {(r["config"], r["metric"]): r for r in
               read_csv(os.path.join(out, "benchmark_summary.csv"))}
    for cfg in matrix + sweep:
        vals = [r["epoch_time_mean_s"] for (c, s), r in runs.items() if c == cfg]
        row = summary[(cfg, "epoch_time_mean_s")]
        check(int(row["n"]) == len(vals) and
              close(num(row["mean"]), sum(vals) / len(vals), 1e-6) and
              close(num(row["min"]), min(vals)) and close(num(row["max"]), max(vals)),
              "benchmark_summary.csv %s epoch_time_mean_s: %r, runs %r" % (cfg, row, vals))
    seq = num(summary[("sequential", "epoch_time_mean_s")]["mean"])
    comparison = {r["config"]: r for r in read_csv(os.path.join(out, "comparison.csv"))}
    for cfg in matrix:
        mean = num(summary[(cfg, "epoch_time_mean_s")]["mean"])
        sp = num(comparison[cfg]["speedup"])
        check(close(sp, seq / mean, 1e-6), "comparison.csv %s: speedup %r, expected %r / %r"
              % (cfg, sp, seq, mean))
    utilization = {}
    for cfg in matrix + sweep:
        us = [r["bench"]["utilization"] for (c, s), r in runs.items() if c == cfg]
        cores = {r["bench"]["cores_used"] for (c, s), r in runs.items() if c == cfg}
        row, srow = comparison[cfg], summary[(cfg, "utilization")]
        mean = sum(us) / len(us)
        check(close(num(row["utilization_mean"]), mean, 1e-9) and
              int(srow["n"]) == len(us) and close(num(srow["mean"]), mean, 1e-9) and
              len(cores) == 1 and num(row["cores_used"]) == cores.pop(),
              "comparison.csv / benchmark_summary.csv %s utilization: %r, %r; runs %r"
              % (cfg, row, srow, us))
        utilization[cfg] = mean

    with open(os.path.join(out, "summary.md")) as f:
        md = f.read()
    check(re.search(r"^- local\[2\] speedup [0-9.]+x \(target >= 1\.8x\) (PASS|FAIL)$", md,
                    re.M), "summary.md has no 'local[2] speedup ...x (target >= 1.8x)' line")
    verdicts = re.findall(r"\(target [^)]*\) (PASS|FAIL|SKIP)$", md, re.M)
    check(len(verdicts) >= 5, "summary.md has %d target lines, expected one or more for each "
          "of the 5 targets" % len(verdicts))
    for cfg in matrix:
        m = re.search(r"^\| %s \|.* \| ([0-9.]+)( ± [0-9.]+)? of [0-9]+ cores? \|$"
                      % re.escape(cfg), md, re.M)
        check(m and abs(float(m.group(1)) - utilization[cfg]) <= 0.0051,
              "summary.md: no utilization %.2f for %s" % (utilization[cfg], cfg))
    print("ok: quick matrix, %d runs in %.1f s; run files, CSVs, summary and comparison agree"
          % (len(runs), wall))
    print("ok: CPU utilization " + ", ".join("%s %.2f" % (c, utilization[c]) for c in matrix))
    return out


def resume_finished(out):
    before = {r: os.stat(r).st_mtime_ns for r in runs_of(out)}
    t0 = time.time()
    rc, so, se = run(["--config", QUICK, "--out", out, "--no-plots", "--quiet", "--resume"])
    check(rc == 0, "--resume: exit status %d (stderr %r)" % (rc, se))
    after = {r: os.stat(r).st_mtime_ns for r in runs_of(out)}
    check(after == before, "--resume on a finished matrix changed run files")
    print("ok: --resume on the finished matrix runs nothing (%.1f s)" % (time.time() - t0))


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    usage_errors()
    failing_run()
    interrupt_and_resume()
    resume_finished(quick_matrix())


main()
