"""Every Qt class of the app: the main window, its widgets, panels, dialogs and workers."""

from lenet_desktop.gui.import_hook import skip_pyside_source_scan

# Before any worker thread imports TensorFlow (see import_hook for why).
skip_pyside_source_scan()
