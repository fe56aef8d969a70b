import { render } from "preact";
import "../shared/styles.css";
import "./console.css";
import { ConsoleApp } from "./ConsoleApp";

render(<ConsoleApp />, document.getElementById("app")!);
