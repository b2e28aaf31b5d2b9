"""Backend selection (bootstrap version)."""


def backend_name() -> str:
    return "python"
