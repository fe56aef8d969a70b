export function PricingRulesPage() {
  
  return <section><h1>PricingRulesPage</h1></section>;
}
