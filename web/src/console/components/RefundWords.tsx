import { ct } from "../i18n";

export interface RefundTier {
  notice_hours: number;
  percent: number;
}

const hours = (n: number) => ct("refund.hours", { n });
const hoursOf = (n: number) => ct("refund.hoursOf", { n });

function share(percent: number): string {
  if (percent >= 100) return ct("refund.shareAll");
  if (percent <= 0) return ct("refund.shareNothing");
  return ct("refund.sharePart", { percent, fee: 100 - percent });
}

/** The policy in sentences: what a traveller gets back at each notice, then with too little notice. */
export function refundSentences(tiers: RefundTier[]): string[] {
  if (tiers.length === 0) return [ct("refund.noTiers")];
  const lines = tiers.map((tier, i) =>
    i === 0
      ? ct("refund.first", { hours: hours(tier.notice_hours), share: share(tier.percent) })
      : ct("refund.between", { hours: hours(tier.notice_hours), longerOf: hoursOf(tiers[i - 1].notice_hours), share: share(tier.percent) }),
  );
  lines.push(ct("refund.tooLate", { hoursOf: hoursOf(tiers[tiers.length - 1].notice_hours) }));
  return lines;
}

/** The sentences as a list. */
export function RefundWords({ tiers, id }: { tiers: RefundTier[]; id?: string }) {
  return (
    <ul class="refund-words" id={id}>
      {refundSentences(tiers).map((line, i) => (
        <li key={i}>{line}</li>
      ))}
    </ul>
  );
}
