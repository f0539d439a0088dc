"""MitID's settings under the production settings: an https broker passes check --deploy, http is refused."""

from tests.test_deploy_check import documented_environment, run_manage

BROKER = {
    "MITID_OIDC_ISSUER": "https://mitid-broker.example/oidc",
    "MITID_OIDC_CLIENT_ID": "medborger",
    "MITID_OIDC_CLIENT_SECRET": "hemmeligt-i-testen",
}


def test_a_configured_broker_passes_the_deploy_check():
    result = run_manage("check", "--deploy", **documented_environment(), **BROKER)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output


def test_production_refuses_a_broker_without_https():
    result = run_manage(
        "check", **documented_environment(), **{**BROKER, "MITID_OIDC_ISSUER": "http://mitid-broker.example"}
    )
    assert result.returncode != 0
    assert "MITID_OIDC_ISSUER must be an https:// address in production." in result.stderr
