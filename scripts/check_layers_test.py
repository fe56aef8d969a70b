#!/usr/bin/env python3
"""Proves that scripts/check_layers.py catches what it is there to catch: each case writes a
small tree with one include that breaks (or keeps) a layer rule and expects the check to fail
naming that file (or to pass)."""

import contextlib
import importlib.util
import io
import pathlib
import tempfile
import unittest

spec = importlib.util.spec_from_file_location(
    "check_layers", pathlib.Path(__file__).resolve().parent / "check_layers.py")
check_layers = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_layers)


class CheckLayersTest(unittest.TestCase):

    def run_on(self, files):
        """Writes `files` ({path: text}) into a fresh tree; returns (exit code, output)."""
        with tempfile.TemporaryDirectory() as root:
            for path, text in files.items():
                file = pathlib.Path(root) / path
                file.parent.mkdir(parents=True, exist_ok=True)
                file.write_text(text)
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                code = check_layers.main(["check_layers", root])
            return code, out.getvalue()

    def test_a_clean_tree_passes(self):
        code, out = self.run_on({
            "services/order/domain/order.h": '#include <string>\n#include "absl/time/time.h"\n'
                                             '#include "platform/base/money.h"\n',
            "services/order/app/orders.cc": '#include "services/order/domain/order.h"\n'
                                            '#include "services/payment/api/payment_client.h"\n',
            "services/payment/api/payment_client.h": '#include "platform/base/money.h"\n',
        })
        self.assertEqual(code, 0, out)

    def test_json_in_a_domain_header_is_named(self):
        code, out = self.run_on({
            "services/order/domain/order.h": "#include <nlohmann/json.hpp>\n",
        })
        self.assertEqual(code, 1)
        self.assertIn("services/order/domain/order.h:1", out)

    def test_sql_in_a_use_case_is_named(self):
        code, out = self.run_on({
            "services/order/app/orders.cc": '#include "platform/db/database.h"\n',
        })
        self.assertEqual(code, 1)
        self.assertIn("services/order/app/orders.cc:1", out)

    def test_another_services_internals_are_named(self):
        code, out = self.run_on({
            "services/order/storage/rows.cc": '#include "services/payment/domain/payment.h"\n',
        })
        self.assertEqual(code, 1)
        self.assertIn("services/order/storage/rows.cc:1", out)
        self.assertIn("only through its api/", out)

    def test_a_wire_format_reached_through_another_api_header_is_named_with_its_path(self):
        code, out = self.run_on({
            "services/order/app/orders.cc": '#include "services/payment/api/codec.h"\n',
            "services/payment/api/codec.h": "#include <nlohmann/json.hpp>\n",
        })
        self.assertEqual(code, 1)
        self.assertIn("services/order/app/orders.cc:1", out)
        self.assertIn("services/payment/api/codec.h", out)

    def test_a_test_fixture_wires_real_adapters_but_reaches_no_other_services_internals(self):
        code, out = self.run_on({
            "services/order/app/orders_fixture.h": '#include "platform/db/database.h"\n'
                                                   '#include "services/order/storage/rows.h"\n',
        })
        self.assertEqual(code, 0, out)
        code, out = self.run_on({
            "services/order/app/orders_fixture.h": '#include "services/payment/storage/rows.h"\n',
        })
        self.assertEqual(code, 1)
        self.assertIn("services/order/app/orders_fixture.h:1", out)

    def test_platform_never_includes_a_service(self):
        code, out = self.run_on({
            "platform/base/x.h": '#include "services/order/api/order_client.h"\n',
        })
        self.assertEqual(code, 1)
        self.assertIn("platform/base/x.h:1", out)

    def test_rpc_never_includes_storage(self):
        code, out = self.run_on({
            "services/order/rpc/server.cc": '#include "services/order/storage/rows.h"\n',
        })
        self.assertEqual(code, 1)
        self.assertIn("services/order/rpc/server.cc:1", out)


if __name__ == "__main__":
    unittest.main()
