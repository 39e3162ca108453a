"""``kg synth``: synthetic data to measure the build and the service at scale, never to publish.

``generator`` writes a data folder from ``world`` (the shared entities), ``practice``
(one practice and what hangs off it) and ``defects`` (deliberate mistakes), as YAML
(``yaml_text``) built from ``word_pools``.
"""
