namespace Wms.Cli.Tests.Tool;

/// <summary>Workflow requests as users write them: YAML for <c>/v1</c>, JSON for either generation.</summary>
public static class WorkflowRequests
{
    /// <summary>
    /// A <c>/v1</c> request in YAML: one task at <paramref name="location"/>, reading one queue and writing a public
    /// one, with YAML's own ways (a quoted text, an integer size, a block list).
    /// </summary>
    public static string Yaml(int priority, string location = "test-alpha", int nWorkers = 4) => $$$"""
        # A scan of events: read raw events, write results.
        public_queue_aliases: [results]
        priority: {{{priority}}}
        tasks:
          - cluster_locations:
              - {{{location}}}
            input_queue_aliases: [events]
            output_queue_aliases: [results]
            task_image: /cvmfs/icecube.opensciencegrid.org/containers/scan:1.2.3
            task_args: "scan {{INFILE}} {{OUTFILE}}"
            task_env:
              SCAN_NSIDE: "8"
            n_workers: {{{nWorkers}}}
            worker_config:
              do_transfer_worker_stdouterr: true
              max_worker_runtime: 600
              n_cores: 1
              priority: 99
              worker_disk: 1G
              worker_memory: 2048
              condor_requirements: HAS_CVMFS_icecube_opensciencegrid_org
        """;

    /// <summary>The same kind of request as JSON; <paramref name="v1"/> adds what only <c>/v1</c> takes.</summary>
    public static string Json(int priority, bool v1 = true, string location = "test-alpha") => $$$"""
        {"public_queue_aliases": ["out"], "priority": {{{priority}}},
         "tasks": [{"cluster_locations": ["{{{location}}}"], "input_queue_aliases": ["in"], "output_queue_aliases": ["out"],
                    "task_image": "/cvmfs/img:1", "task_args": "run", "n_workers": 2,
                    "worker_config": {"do_transfer_worker_stdouterr": false, "max_worker_runtime": 60, "n_cores": 1,
                                      "priority": 10, "worker_disk": "1G", "worker_memory": "1G" {{{(v1 ? RequirementsMember : "")}}} }
                   }]
        }
        """;

    private const string RequirementsMember = ", \"condor_requirements\": \"\"";
}
