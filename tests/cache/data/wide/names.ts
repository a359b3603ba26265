// Zeichen: «ß», 日本語, 🎉
export const greeting = "grüß dich";
