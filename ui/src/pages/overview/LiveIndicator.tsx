export function LiveIndicator({ isLive }: { isLive: boolean }) {
  return (
    <span
      class={`live ${isLive ? 'on' : 'off'}`}
      data-testid="live-indicator"
      data-live={String(isLive)}
      role="status"
      title={
        isLive ? 'Updates arrive as the server sends them' : 'Reconnecting; meanwhile the page refreshes every 5 s'
      }
    >
      <span class="dot" aria-hidden="true" />
      {isLive ? 'Live' : 'Disconnected'}
    </span>
  );
}
