export function WaitingRoomEditorPage({ roomId }: { roomId?: string }) {
  void roomId;
  return <section><h1>WaitingRoomEditorPage</h1></section>;
}
