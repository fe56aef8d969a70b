import { render } from "preact";
import "../shared/styles.css";
import "./scan.css";
import { ScanApp } from "./ScanApp";

render(<ScanApp />, document.getElementById("app")!);
