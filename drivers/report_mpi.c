/* report_mpi.c: the network part of the summary and the result JSON (see report_mpi.h).
 *
 * Per-epoch figures are means over the timed epochs (warm-up left out, like the epoch time):
 * the first epoch also carries the weights' first trip to every rank, which later epochs
 * find cached. */
#include "report_mpi.h"

#include "sysinfo.h"

/* Mean per timed epoch of a sum over those epochs. */
static double per_epoch(const struct gcn_run_report *rep, double total)
{
    return rep->timed_epochs ? total / (double)rep->timed_epochs : 0.0;
}

void gcn_report_print_network(const struct gcn_run_report *rep, FILE *out)
{
    char a[48], b[48], c[48], d[48];
    if (!rep->per_rank)
        return;
    fprintf(out, "network     %d ranks x %d workers: %s per epoch sent through StarPU-MPI (the "
            "plan predicts %s), data in flight %s per epoch on the busiest rank\n",
            rep->ranks, rep->starpu_workers,
            gcn_format_bytes(a, sizeof a, (uint64_t)per_epoch(rep, (double)rep->net_bytes)),
            gcn_format_bytes(b, sizeof b, rep->predicted_net_bytes),
            gcn_format_secs(c, sizeof c, per_epoch(rep, rep->net_s), per_epoch(rep, rep->net_s)));
    fprintf(out, "            %s rows cross ranks per propagation\n",
            gcn_format_count(a, sizeof a, rep->cross_rank_rows));
    for (int k = 0; k < rep->ranks; k++) {
        const struct gcn_rank_stats *r = &rep->per_rank[k];
        const double w = r->compute_s + r->communication_s + r->overhead_s;
        fprintf(out, "rank %-6d %zu partition%s, sent %s and received %s per epoch, compute "
                "%.1f %% of its worker time, resident %s after set-up, peak %s\n", k,
                r->partitions, r->partitions == 1 ? "" : "s",
                gcn_format_bytes(a, sizeof a, (uint64_t)per_epoch(rep, (double)r->net_sent_bytes)),
                gcn_format_bytes(b, sizeof b, (uint64_t)per_epoch(rep, (double)r->net_recv_bytes)),
                w > 0.0 ? 100.0 * r->compute_s / w : 0.0,
                gcn_format_bytes(c, sizeof c, r->resident_bytes),
                gcn_format_bytes(d, sizeof d, r->peak_rss_bytes));
    }
}

void gcn_report_json_network(const struct gcn_run_report *rep, struct gcn_json *j)
{
    gcn_json_kv_int(j, "ranks", rep->ranks > 0 ? rep->ranks : 1);
    if (!rep->per_rank)
        return;
    const struct gcn_train_result *res = rep->result;
    gcn_json_key(j, "network");
    gcn_json_begin_object(j);
    gcn_json_kv_double(j, "bytes_per_epoch", per_epoch(rep, (double)rep->net_bytes));
    gcn_json_kv_uint(j, "predicted_bytes_per_epoch", rep->predicted_net_bytes);
    gcn_json_kv_double(j, "seconds_per_epoch", per_epoch(rep, rep->net_s));
    gcn_json_kv_uint(j, "cross_rank_rows", rep->cross_rank_rows);
    gcn_report_epoch_list(j, "bytes_per_epoch_list", res, 0, res->epochs_run,
                          GCN_EPOCH_NET_BYTES);
    gcn_report_epoch_list(j, "seconds_per_epoch_list", res, 0, res->epochs_run,
                          GCN_EPOCH_NET_S);
    gcn_json_end_object(j);
    gcn_json_key(j, "per_rank");
    gcn_json_begin_array(j);
    for (int k = 0; k < rep->ranks; k++) {
        const struct gcn_rank_stats *r = &rep->per_rank[k];
        gcn_json_begin_object(j);
        gcn_json_kv_int(j, "rank", k);
        gcn_json_kv_uint(j, "partitions", r->partitions);
        gcn_json_kv_double(j, "compute_s", r->compute_s);
        gcn_json_kv_double(j, "communication_s", r->communication_s);
        gcn_json_kv_double(j, "overhead_s", r->overhead_s);
        gcn_json_kv_double(j, "sent_bytes_per_epoch", per_epoch(rep, (double)r->net_sent_bytes));
        gcn_json_kv_double(j, "received_bytes_per_epoch",
                           per_epoch(rep, (double)r->net_recv_bytes));
        gcn_json_kv_double(j, "network_s_per_epoch", per_epoch(rep, r->net_s));
        gcn_json_kv_uint(j, "resident_bytes_after_setup", r->resident_bytes);
        gcn_json_kv_uint(j, "peak_rss_bytes", r->peak_rss_bytes);
        gcn_json_end_object(j);
    }
    gcn_json_end_array(j);
}
