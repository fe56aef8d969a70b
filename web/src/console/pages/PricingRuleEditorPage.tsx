export function PricingRuleEditorPage({ id }: { id?: string }) {
  void id;
  return <section><h1>PricingRuleEditorPage</h1></section>;
}
