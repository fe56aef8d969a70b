export const roomsEn = {
};

export const roomsBn: Record<keyof typeof roomsEn, string> = {
};
