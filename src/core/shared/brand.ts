// Branded types: values of these types are made only by the parsers that check them.
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };
