import aimds_middleware
import aimds_middleware.errors as errors


def test_all_is_sorted_and_complete():
    names = aimds_middleware.__all__
    assert list(names) == sorted(names)
    for n in names:
        assert hasattr(aimds_middleware, n), n
    public = {n for n in dir(aimds_middleware) if not n.startswith("_")}
    modules = {"cli", "detection", "errors", "telemetry", "state", "response", "analysis", "server",
               "integrations", "_native"}
    assert public - set(names) - modules == set()


def test_error_tree():
    assert issubclass(errors.ConfigError, ValueError)
    assert issubclass(errors.IntegrationUnavailable, ImportError)
    for name in errors.__all__:
        assert issubclass(getattr(errors, name), errors.AimdsError)
    assert errors.__all__ == sorted(errors.__all__)
    e = errors.IntegrationUnavailable("flask")
    assert 'pip install "aimds-middleware[flask]"' in str(e)


def test_backend_reports_implementation():
    assert aimds_middleware.backend() in ("native", "python")
