export function BillingPage() {
  
  return <section><h1>BillingPage</h1></section>;
}
