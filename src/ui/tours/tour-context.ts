// The page's tour runner (null when the page is not a tour run) reaches the panel through context.
import { createContext, useContext } from 'react';
import type { TourRunner } from './tour-runner';

export const TourContext = createContext<TourRunner | null>(null);

export function useTourRunner(): TourRunner | null {
  return useContext(TourContext);
}
