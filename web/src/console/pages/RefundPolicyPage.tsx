export function RefundPolicyPage() {
  
  return <section><h1>RefundPolicyPage</h1></section>;
}
