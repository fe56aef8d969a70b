export function ReportsPage() {
  
  return <section><h1>ReportsPage</h1></section>;
}
