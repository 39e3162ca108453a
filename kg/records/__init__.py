"""The first stage: curated YAML records read with their lines, checked against the one declaration of the record format."""
