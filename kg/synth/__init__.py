"""``kg synth``: synthetic data to measure the build and the service at scale, never to publish.

``generator`` writes a data folder from ``world`` (the shared entities), ``practice``
(one practice and what hangs off it) and ``defects`` (deliberate mistakes), as YAML
(``yaml_text``) built from ``word_pools``. ``sheets`` writes practice sheets in the layout
the importer declares (``kg synth --sheets``), with the variations and defects real ones have.
"""
