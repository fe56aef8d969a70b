export function FraudPage() {
  
  return <section><h1>FraudPage</h1></section>;
}
