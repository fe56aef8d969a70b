export const pricingEn = {
};

export const pricingBn: Record<keyof typeof pricingEn, string> = {
};
