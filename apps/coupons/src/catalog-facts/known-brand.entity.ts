import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A brand's categories, copied from the catalog's brand events. */
@Entity({ name: 'known_brands' })
export class KnownBrandEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'text', array: true })
  categories!: string[];

  @Column({ name: 'as_of', type: 'timestamptz' })
  asOf!: Date;
}
