/* trace.c: FxT recording switch and conversion with starpu_fxt_tool (see trace.h).
 *
 * StarPU 1.3.10 builds the raw file name as "%s/%s_%d" (prefix, suffix, rank) in a 128-byte
 * buffer, so the folder path must stay short; rdd_trace_check_dir refuses longer ones instead
 * of letting StarPU truncate the name. The converter runs as a child process in the folder,
 * its output in fxt_tool.log. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/error.h"
#include "gcnrun_build.h"
#include "runtime/internal.h"
#include "runtime/trace.h"

extern char **environ;

#define FXT_NAME_MAX 128 /* StarPU 1.3's _starpu_prof_file_user[128] */

int rdd_trace_check_dir(const char *dir)
{
	struct stat st;
	if (!dir || !*dir)
		return gcn_fail("trace directory: empty path");
	if (strlen(dir) + 1 + strlen(RDD_TRACE_RAW) + 4 >= FXT_NAME_MAX)
		return gcn_fail("trace directory %s: path too long for StarPU 1.3's FxT file name (at "
				"most %zu characters)", dir, (size_t)FXT_NAME_MAX - 6 - strlen(RDD_TRACE_RAW));
	if (stat(dir, &st) != 0) {
		if (errno != ENOENT)
			return gcn_fail("trace directory %s: %s", dir, strerror(errno));
		/* EEXIST: another rank of an mpirun job created it first */
		if (mkdir(dir, 0777) != 0 && errno != EEXIST)
			return gcn_fail("trace directory %s: cannot create it: %s", dir, strerror(errno));
		if (stat(dir, &st) != 0)
			return gcn_fail("trace directory %s: %s", dir, strerror(errno));
	}
	if (!S_ISDIR(st.st_mode))
		return gcn_fail("trace directory %s: not a directory", dir);
	if (access(dir, W_OK | X_OK) != 0)
		return gcn_fail("trace directory %s: not writable: %s", dir, strerror(errno));
	/* access() ignores read-only mounts for root on some systems: really create a file. */
	char probe[PATH_MAX];
	snprintf(probe, sizeof probe, "%s/.gcnrun-write-test", dir);
	int fd = open(probe, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return gcn_fail("trace directory %s: not writable: %s", dir, strerror(errno));
	close(fd);
	unlink(probe);
	return GCN_OK;
}

int rdd_trace_prepare(const char *dir, int distributed)
{
	if (rdd_trace_check_dir(dir) != GCN_OK)
		return GCN_ERR;
	char raw[PATH_MAX];
	snprintf(raw, sizeof raw, "%s/%s_0", dir, RDD_TRACE_RAW);
	/* a stale raw file from an earlier run must not be converted again; under mpirun the
	 * rank is not known yet and rank 0 may already be writing its file, so each rank's
	 * file is left to StarPU, which truncates it */
	if (!distributed)
		unlink(raw);
	if (setenv("STARPU_FXT_TRACE", "1", 1) != 0 || setenv("STARPU_FXT_PREFIX", dir, 1) != 0 ||
	    setenv("STARPU_FXT_SUFFIX", RDD_TRACE_RAW, 1) != 0)
		return gcn_fail("cannot set the FxT environment: %s", strerror(errno));
	return GCN_OK;
}

int rdd_trace_convert(const char *dir, int ranks)
{
	char raw[PATH_MAX], tool[PATH_MAX], log[PATH_MAX];
	int status = GCN_ERR, have_actions = 0;
	posix_spawn_file_actions_t actions;
	char **argv = calloc(2 * (size_t)ranks + 4, sizeof *argv);
	char *raws = malloc((size_t)ranks * PATH_MAX);
	if (!argv || !raws) {
		gcn_fail("trace: out of memory");
		goto cleanup;
	}
	snprintf(tool, sizeof tool, "%s/starpu_fxt_tool", GCNRUN_STARPU_BINDIR);
	snprintf(log, sizeof log, "%s/fxt_tool.log", dir);
	int argc = 0;
	argv[argc++] = tool;
	for (int r = 0; r < ranks; r++) { /* one input per rank: starpu_fxt_tool merges them */
		char *f = raws + (size_t)r * PATH_MAX;
		snprintf(f, PATH_MAX, "%s/%s_%d", dir, RDD_TRACE_RAW, r);
		if (access(f, R_OK) != 0) {
			gcn_fail("trace: StarPU wrote no FxT file %s (is this StarPU built --with-fxt?)",
				 f);
			goto cleanup;
		}
		argv[argc++] = "-i";
		argv[argc++] = f;
	}
	snprintf(raw, sizeof raw, "%s/%s_%s", dir, RDD_TRACE_RAW, ranks > 1 ? "*" : "0");
	if (access(tool, X_OK) != 0) {
		gcn_fail("trace: %s not found; the raw trace is %s", tool, raw);
		goto cleanup;
	}
	if (posix_spawn_file_actions_init(&actions) != 0) {
		gcn_fail("trace: out of memory");
		goto cleanup;
	}
	have_actions = 1;
	if (posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0644) ||
	    posix_spawn_file_actions_adddup2(&actions, 1, 2) ||
	    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)) {
		gcn_fail("trace: cannot set up the converter's output");
		goto cleanup;
	}
	argv[argc++] = "-d";
	argv[argc++] = (char *)dir;
	pid_t pid;
	int err = posix_spawn(&pid, tool, &actions, NULL, argv, environ);
	if (err != 0) {
		gcn_fail("trace: cannot run %s: %s", tool, strerror(err));
		goto cleanup;
	}
	int wstatus;
	while (waitpid(pid, &wstatus, 0) < 0) {
		if (errno != EINTR) {
			gcn_fail("trace: waitpid: %s", strerror(errno));
			goto cleanup;
		}
	}
	if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
		gcn_fail("trace: starpu_fxt_tool failed (see %s); the raw trace is %s", log, raw);
		goto cleanup;
	}
	if (ranks > 1) { /* a merged trace: declare what starpu_fxt_tool did not */
		char paje[PATH_MAX];
		snprintf(paje, sizeof paje, "%s/paje.trace", dir);
		if (rdd_paje_declare_threads(paje) != GCN_OK)
			goto cleanup;
	}
	status = GCN_OK;

cleanup:
	if (have_actions)
		posix_spawn_file_actions_destroy(&actions);
	free(argv);
	free(raws);
	return status;
}

void rdd_trace_pause(struct rdd_context *ctx)
{
	if (ctx && ctx->trace_dir)
		starpu_fxt_stop_profiling();
}

void rdd_trace_resume(struct rdd_context *ctx)
{
	if (ctx && ctx->trace_dir)
		starpu_fxt_start_profiling();
}

const char *rdd_trace_vite_command(const char *dir)
{
	static char cmd[PATH_MAX + 32];
	snprintf(cmd, sizeof cmd, "vite %s/paje.trace", dir);
	return cmd;
}
