"""The SPARQL endpoint (``/sparql``): a read-only SPARQL 1.1 Protocol service with hard limits.

A request goes down this list; each module imports only modules below it::

    routes               the two ways in (the fast path ahead of FastAPI, the routes) and answer_query
    query_page           the HTML query page          service_description   GET /sparql for data clients
    short_links          /sparql/links and /s/{id}    examples      queries/*.rq, /.well-known/sparql-examples
    completions          the editor's terms of the live build
    replies              status, headers and body of every answer and refusal
    protocol             request → query, dataset, format (a Job), or a refusal
    parse_errors         short parse errors (line, column, the text there)
    prefixes             the project prefixes declared for a query that uses them
    query_guard          no UPDATE, no SERVICE; the query's form, FROM and determinism
    engine               the runner of one application (started in the background), prepared requests
    query_runner         answer cache → inline memo → worker pool
    answer_cache         answers of the live build, kept      inline_memo   proven-cheap queries
    worker_pool          killable worker processes under the deadline
    fairness             who a client is, its limits (429), round-robin turns for the workers
    worker_process       the body of a worker process (``python -m endpoint.sparql.worker_process``)
    wire                 the frames between the two        execution     run a job, serialize within the caps
    jobs                 Job and Answer: the data passed between all of the above

Nothing from ``engine`` down imports a web framework, and a worker process imports
only ``worker_process``, ``wire``, ``execution`` and ``jobs``, so it starts fast.
"""
