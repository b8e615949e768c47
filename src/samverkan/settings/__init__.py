"""Settings modules: base (shared), demo (make demo), test (make test), production."""
