"""The shipped model (``lenet5.keras``), its sidecar (``lenet5.json``) and the sample photo
(``samples/digits_on_paper.jpg``): installed as package data, found with importlib.resources
(:func:`lenet_desktop.paths.shipped_model_path`). ``setup.py`` maps this folder to the
package ``lenet_desktop.assets``."""
