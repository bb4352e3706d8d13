"""Activities planned by the workgroups: approval, sign-ups, waiting lists, evaluation."""
