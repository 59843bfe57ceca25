/**
 * Small, self-written name lists. Some names are deliberately non-ASCII (é, ñ, ø, ễ, ł…) so every
 * package exercises UTF-8 end to end, and a few carry an apostrophe.
 */
export const FEMALE_GIVEN = list(`
  Amelia, Anaïs, Aroha, Beatriz, Chloé, Dagný, Elena, Fatima, Grace, Hana, Ingrid, Isabella, Jasmine, Kateřina, Leilani, Lucía, Maja, Mei, Naomi,
  Olivia, Priya, Renée, Sofía, Søs, Tamsin, Valentina, Wren, Yasmin, Zoë, Ava, Emma, Harper, Mia, Nora, Ruby, Sadie
`);

export const MALE_GIVEN = list(`
  Aarav, Ahmed, Benjamin, Björn, Carlos, Darius, Élie, Ethan, Felipe, Gabriel, Hiro, Iñigo, Jamal, José, Kai, Liam, Łukasz, Mateo, Noah, Omar, Pavel,
  Quentin, Rafael, Søren, Tomás, Umar, Václav, William, Xavier, Yusuf, Zachary, Elijah, Henry, Jack, Lucas, Owen
`);

export const FAMILY = list(`
  Abara, Andersen, Bianchi, Brown, Çelik, Chen, Cohen, D'Angelo, Dubois, Eriksen, García, Haddad, Hernández, Ivanova, Jackson, Johansson, Kim,
  Kowalczyk, Lefèvre, López, Martin, Müller, Nakamura, Nguyễn, Núñez, O'Brien, Ødegaard, Okafor, Patel, Peña, Quispe, Rossi, Sánchez, Schmidt, Singh,
  Smith, Sørensen, Taylor, Tanaka, Walker, Williams, Yılmaz, Zhang, Zieliński
`);

/** Place names for districts, schools and cities of birth. */
export const PLACES = list(`
  Alder Creek, Bayview, Cedar Falls, Clearwater, Eastbrook, Fairmont, Glenwood, Harbor Point, Highland, Lakeside, Maple Grove, Millbrook,
  North Ridge, Oak Hollow, Pine Valley, Riverside, San Andrés, Santa Lucía, Silver Lake, Stonebridge, Sunnyvale, Westfield, Willow Bend
`);

export const STATES = ['CA', 'TX', 'NY', 'FL', 'WA', 'IL', 'AZ', 'NM', 'OR', 'CO'] as const;

export const FOREIGN_BIRTHPLACES = [
  ['MX', 'Guadalajara'],
  ['DK', 'Århus'],
  ['FR', 'Besançon'],
  ['VN', 'Đà Nẵng'],
  ['PL', 'Łódź'],
  ['TR', 'İzmir'],
  ['ES', 'A Coruña'],
  ['IN', 'Pune'],
] as const;

/** A lower-case ASCII login from a name: accents dropped, letters the decomposition keeps (ø, ł, ß…) spelled out. */
export function asciiLogin(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[øØ]/g, 'o')
    .replace(/[łŁ]/g, 'l')
    .replace(/[đĐ]/g, 'd')
    .replace(/ß/g, 'ss')
    .replace(/[æÆ]/g, 'ae')
    .replace(/ı/g, 'i')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** A comma-separated list written as one block of text, so the lists stay short to read. */
function list(text: string): readonly string[] {
  return text.trim().split(/\s*,\s*/);
}
