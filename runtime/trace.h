/* trace.h: FxT trace control for StarPU 1.3.
 *
 * StarPU 1.3.10 decides at starpu_init whether FxT records: STARPU_FXT_TRACE=0 disables it
 * (no file, only a never-taken branch per probe), anything else (the default!) records into
 * $STARPU_FXT_PREFIX/$STARPU_FXT_SUFFIX_0 (default /tmp/prof_file_$USER_0) and dumps it at
 * starpu_shutdown. rdd_context_create therefore always sets STARPU_FXT_TRACE: 0 without a
 * trace folder, 1 with one (and the prefix pointed into the folder). After the shutdown the
 * raw file is converted with $GCNRUN_STARPU_BINDIR/starpu_fxt_tool -d DIR, which writes
 * paje.trace (open with `vite DIR/paje.trace`), tasks.rec, dag.dot, data.rec, trace.html...;
 * its output goes to DIR/fxt_tool.log. */
#ifndef RDD_TRACE_H
#define RDD_TRACE_H

/* The raw FxT file name inside the trace folder (StarPU appends "_<rank>", i.e. "_0"). */
#define RDD_TRACE_RAW "gcnrun.fxt"

/* Checks that dir can hold a trace before any work starts: creates it (one level) when
 * missing, checks that it is a writable directory and that its path fits StarPU 1.3's
 * 128-byte FxT file name. Errors: each of those, with the path in the message. */
int rdd_trace_check_dir(const char *dir);

struct rdd_context;

/* Stops / resumes FxT recording of a context that records a trace (no-ops otherwise), e.g. to
 * keep only a few epochs: a traced task costs about 25 us instead of 7 (rdd_probe, local[2])
 * and a 40,000-task trace takes 180 MB with its conversion. */
void rdd_trace_pause(struct rdd_context *ctx);
void rdd_trace_resume(struct rdd_context *ctx);

/* The ViTE command to show the trace of dir, for summaries: "vite DIR/paje.trace" (static
 * buffer, overwritten by the next call). */
const char *rdd_trace_vite_command(const char *dir);

#endif
