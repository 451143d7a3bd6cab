"""The studio's form editor: a script edited as a form generated from its JSON Schema.

- :mod:`.schema_walk` reads the schema (``claimreel schema``'s) at run time,
- :mod:`.fields` turns it and a script's data into the form's fields,
- :mod:`.posted` reads a posted form back into script data and writes it into the
  script's YAML by a round trip (comments and key order of what was not edited stay),
- :mod:`.checks` finds a form's problems (``claimreel validate``'s) per field,
- :mod:`.stills` draws the scene being edited, from the unsaved form,
- :mod:`.pages` holds the routes.
"""
