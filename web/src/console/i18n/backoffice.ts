export const backofficeEn = {
};

export const backofficeBn: Record<keyof typeof backofficeEn, string> = {
};
