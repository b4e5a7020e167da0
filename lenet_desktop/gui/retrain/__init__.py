"""Model → Retrain… and the user's own handwriting: controller, dialog, form, results, worker."""
