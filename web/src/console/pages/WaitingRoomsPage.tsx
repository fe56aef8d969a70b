export function WaitingRoomsPage() {
  
  return <section><h1>WaitingRoomsPage</h1></section>;
}
